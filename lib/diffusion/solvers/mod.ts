/** Inference solvers of the flow ODE (one algorithm per file) and their shared sigma schedule. */
export { flowSigmas } from "./flow_sigmas.ts";
export type { FlowSigmas, FlowSigmasOptions } from "./flow_sigmas.ts";
export { FlowEulerSolver } from "./flow_euler_solver.ts";
export type { FlowEulerSolverOptions } from "./flow_euler_solver.ts";
export { FlowUniPCSolver } from "./flow_unipc_solver.ts";
export type { FlowUniPCSolverOptions } from "./flow_unipc_solver.ts";
export type { Solver } from "./solver.ts";
