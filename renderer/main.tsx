import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// No StrictMode: its double-mounted effects would start every live round twice.
createRoot(root).render(<App />);
