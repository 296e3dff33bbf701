import { loadConfig } from './config.ts';
import { startServer } from './server.ts';

/** `npm start`: the service on the embedded store, configured from the environment (src/config.ts). */
startServer(loadConfig()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
