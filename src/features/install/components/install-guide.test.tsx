import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../../testing/render-app';

describe('install guide start commands', () => {
  it('offers uvicorn, gunicorn with uvicorn workers and Celery beside the WSGI servers', async () => {
    const { user } = renderApp('/projects/demoshop/install');
    const tabs = await screen.findByRole('tablist', { name: 'How your app is started' });
    expect(within(tabs).getAllByRole('tab').map((t) => t.textContent)).toEqual([
      'Gunicorn', 'uWSGI', 'Uvicorn', 'Gunicorn + Uvicorn workers', 'Celery', 'Django runserver', 'Supervisor', 'Init script',
    ]);

    await user.click(within(tabs).getByRole('tab', { name: 'Uvicorn' }));
    expect(screen.getByRole('figure', { name: 'Uvicorn start command' })).toHaveTextContent(
      'whatap-start-agent uvicorn main:app --host 0.0.0.0 --port 8000 --workers 4',
    );
    expect(screen.getByText(/named by its route in FastAPI and Starlette \(\/items\/\{item_id\}\)/)).toBeInTheDocument();

    await user.click(within(tabs).getByRole('tab', { name: 'Gunicorn + Uvicorn workers' }));
    expect(screen.getByRole('figure', { name: 'Gunicorn + Uvicorn workers start command' })).toHaveTextContent(
      'whatap-start-agent gunicorn -k uvicorn.workers.UvicornWorker -w 4 -b 0.0.0.0:8000 main:app',
    );

    await user.click(within(tabs).getByRole('tab', { name: 'Celery' }));
    expect(screen.getByRole('figure', { name: 'Celery start command' })).toHaveTextContent(
      'whatap-start-agent celery -A proj worker --loglevel=INFO',
    );
    expect(screen.getByText(/Each task a worker runs is a transaction named by the task/)).toBeInTheDocument();
  }, 20_000);
});
