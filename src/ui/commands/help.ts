/** The `?` overlay's key list, straight from the command table. */
import { commandsFor } from './dispatch.js';
import { GROUPS, type Command, type Group } from './types.js';

export interface HelpLine {
  keys: string;
  help: string;
}

/** The help overlay's sections: the commands of each group, in table order. */
export function helpSections(commands: readonly Command[] = commandsFor('replay')): { group: Group; lines: HelpLine[] }[] {
  return GROUPS.map((group) => ({
    group,
    lines: commands.filter((c) => c.group === group).map((c) => ({ keys: c.keyLabel, help: c.help })),
  })).filter((g) => g.lines.length > 0);
}
