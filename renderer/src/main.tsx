// Global styles first, so component styles (imported by the components) come after them.
import './styles/theme.css';
import './styles/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/shell/App.js';
import { startApp } from './services/startup.js';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

void startApp();
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
