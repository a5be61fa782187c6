import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickClient } from './api/pick-client.ts';
import { connect } from './store/actions.ts';
import { App } from './ui/App.tsx';
import './ui/styles.css';

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
void connect(pickClient()).then(() => {
  // The marker end-to-end tests wait for before acting.
  document.body.dataset.appReady = 'true';
});
