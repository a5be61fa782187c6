import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickClient } from './api/pick-client.ts';
import { connect } from './store/actions.ts';
import { connectCalls } from './store/call-actions.ts';
import { App } from './ui/App.tsx';
import './ui/styles.css';

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
const client = pickClient();
connectCalls(client);
void connect(client).then(() => {
  // The marker end-to-end tests wait for before acting.
  document.body.dataset.appReady = 'true';
});
