import { Command } from 'commander';
import { CliError, registerCommands } from '../src/app/cli.ts';

const program = new Command();
program.name('sportello').description('Sportello Lavoro — the regional public employment service platform');
registerCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`error: ${error instanceof CliError ? error.message : String(error)}`);
  process.exit(1);
}
