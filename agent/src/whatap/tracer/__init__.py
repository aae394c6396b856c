"""The tracer: runs inside the app's processes; never blocks, never raises into the app."""
