/**
 * Student names in a class: they name a seat, a session file (`<name>.ndjson`) and a row on the
 * trainer's screen, so only letters, digits, `-`, `_` and `.` are taken (no control character,
 * escape sequence, path separator or space can reach a screen or a file name), 1 to 32 of them,
 * not starting with a dot (no hidden files, no `..`).
 */
export const NAME_MAX = 32;

const NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,31}$/;

export function validName(name: string): boolean {
  return NAME.test(name);
}

/** Why a name is refused, in words for the student's terminal (undefined when it is fine). */
export function nameProblem(name: string): string | undefined {
  if (validName(name)) return undefined;
  if (!name.length) return 'a name is needed: ssh -p PORT NAME@ADDRESS';
  if (name.length > NAME_MAX) return `a name has at most ${NAME_MAX} characters`;
  if (name.startsWith('.')) return 'a name may not start with a dot';
  return 'a name may have only letters, digits, -, _ and .';
}
