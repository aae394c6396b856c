import { parseArgs } from 'node:util';
import { ConfigError } from './config-error';

export interface CliArgs {
  httpPort?: string;
  ingestPort?: string;
  dataDir?: string;
  config?: string;
  demo: boolean;
  help: boolean;
}

export const USAGE = `Usage: tapscope [options]   (npx tsx collector/cli.ts [options])

Options (override the environment and the config file):
  --http-port N      console and API port (TAPSCOPE_HTTP_PORT, default 8080; 0 = any free port)
  --ingest-port N    agent ingest port (TAPSCOPE_INGEST_PORT, default 6600; 0 = any free port)
  --data-dir DIR     where the embedded databases live (TAPSCOPE_DATA_DIR, default ./data)
  --config FILE      JSON config file (TAPSCOPE_CONFIG)
  --demo             also run the demo project with synthetic agents
  -h, --help         show this help`;

/** Parses the command line; an unknown or incomplete option is a ConfigError. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'http-port': { type: 'string' },
        'ingest-port': { type: 'string' },
        'data-dir': { type: 'string' },
        config: { type: 'string' },
        demo: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    return {
      httpPort: values['http-port'],
      ingestPort: values['ingest-port'],
      dataDir: values['data-dir'],
      config: values.config,
      demo: values.demo ?? false,
      help: values.help ?? false,
    };
  } catch (err) {
    // node:util's messages already name the option, e.g. "Unknown option '--htp-port'".
    throw new ConfigError(`${(err as Error).message}. Run with --help for the options.`);
  }
}
