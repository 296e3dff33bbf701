#!/usr/bin/env node
// The `gavel` command (src/cli.ts). The sources are TypeScript: tsx's loader is registered in this very
// process and the command imported after it, so there is no wrapper process between a signal and the
// server (a `tsx` CLI or `npm` parent would have to pass SIGTERM on, and a shell in between does not).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
