/**
 * Ink renders only the last frame when it believes it runs under CI; the UI is opened only on
 * a real terminal, so CI markers inherited from the environment must not blank it. Every screen
 * (replay, live, training, editor) calls this before Ink is loaded.
 */
export function forgetCi(env: NodeJS.ProcessEnv): void {
  for (const k of Object.keys(env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete env[k];
}
