import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// During `npm run dev` the Vite server forwards API calls to a backend on localhost:8080,
// the job nginx does in the container.
const backend = process.env.BACKEND_URL || 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
  },
  server: {
    proxy: {
      '/api': backend,
      '/actuator': backend,
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: false,
  },
});
