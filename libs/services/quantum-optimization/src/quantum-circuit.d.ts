// Minimal typing of the `quantum-circuit` package (a devDependency, used only to validate our simulator in tests).
declare module 'quantum-circuit' {
  interface QuantumCircuitComplex {
    re: number;
    im: number;
  }
  class QuantumCircuit {
    constructor(numQubits?: number);
    numQubits: number;
    appendGate(gateName: string, wires: number | number[], options?: { params?: Record<string, number> }): void;
    run(initialValues?: number[], options?: Record<string, unknown>): void;
    stateAsSimpleArray(reverseBits?: boolean): QuantumCircuitComplex[];
  }
  export = QuantumCircuit;
}
