declare module 'mgrs' {
  export function toPoint(mgrs: string): [number, number];
  export function forward(lonLat: [number, number], accuracy?: number): string;
  export function inverse(mgrs: string): [number, number, number, number];
  const _default: { toPoint: typeof toPoint; forward: typeof forward; inverse: typeof inverse };
  export default _default;
}
