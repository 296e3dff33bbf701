import { loadConfig } from './config.ts';
import { startServer } from './server.ts';
import { DatabaseInUseError } from './store/sqlite/index.ts';

/** `gavel start` (`npm start`): the service, configured from the environment (src/config.ts). */
startServer(loadConfig()).catch((error: unknown) => {
  if (error instanceof DatabaseInUseError)
    console.error(`gavel: ${error.message}; run one server per data directory (GAVEL_DATA_DIR).`);
  else console.error(error);
  process.exit(1);
});
