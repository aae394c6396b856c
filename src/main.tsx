import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import './styles/index.css';

/**
 * Starts the MSW mock backend in `vite --mode mock` only. The check on DEV lets the
 * production build drop the import, so MSW never ships.
 */
async function enableMocking(): Promise<void> {
  if (!import.meta.env.DEV || import.meta.env.VITE_API_MOCKING !== 'true') return;
  const { startMockWorker } = await import('../mock-server/browser');
  await startMockWorker();
}

void enableMocking().then(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
