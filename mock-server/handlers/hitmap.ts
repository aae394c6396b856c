// Placeholder owned by the hitmap feature engineer: MSW handlers for hitmap.
import type { HttpHandler } from 'msw';

export const hitmapHandlers: HttpHandler[] = [];
