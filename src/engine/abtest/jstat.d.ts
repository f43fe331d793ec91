// jstat ships no types: the few distribution functions the A/B report uses.
declare module 'jstat' {
  interface Distribution1 {
    cdf(x: number, dof: number): number;
    inv(p: number, dof: number): number;
  }
  interface Normal {
    cdf(x: number, mean: number, std: number): number;
    inv(p: number, mean: number, std: number): number;
  }
  const jStat: { studentt: Distribution1; normal: Normal };
  export default jStat;
}
