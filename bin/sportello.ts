import { Command } from 'commander';
import { registerCommands } from '../src/app/cli.ts';

const program = new Command();
program.name('sportello').description('Sportello Lavoro — the regional public employment service platform');
registerCommands(program);
await program.parseAsync(process.argv);
