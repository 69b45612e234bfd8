import QuantumCircuit from 'quantum-circuit';
import { energyTable } from './energy-table';
import { prepareQaoaState, qaoaExpectation, runQaoa } from './qaoa';
import { Qubo } from './qubo';
import { quboToIsing } from './qubo-to-ising';
import { createRng } from './seeded-rng';
import { solveExact } from './solve-exact';

function randomQubo(n: number, seed: number): Qubo {
  const rng = createRng(seed);
  return Qubo.fromMatrix(
    Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal())),
    0.5,
  );
}

describe('QAOA circuit', () => {
  it('gives the analytic p=1 expectation (1 + sin γ·sin 2β)/2 for C = x on one qubit', () => {
    const energies = energyTable(Qubo.fromMatrix([[1]]));
    for (const [gamma, beta] of [
      [0.3, 0.2],
      [1.2, -0.7],
      [Math.PI / 2, -Math.PI / 4],
    ]) {
      expect(qaoaExpectation(energies, [gamma], [beta])).toBeCloseTo(
        (1 + Math.sin(gamma) * Math.sin(2 * beta)) / 2,
        12,
      );
    }
  });

  it('matches the same p=2 circuit built from H, RZ, ZZ and RX gates in quantum-circuit (up to the known global phase)', () => {
    const qubo = randomQubo(4, 11);
    const ising = quboToIsing(qubo);
    const gammas = [0.37, 0.81];
    const betas = [0.52, 0.19];
    const ours = prepareQaoaState(energyTable(qubo), gammas, betas);

    const circuit = new QuantumCircuit(4);
    for (let q = 0; q < 4; q++) circuit.appendGate('h', q);
    for (let l = 0; l < 2; l++) {
      for (let i = 0; i < 4; i++) circuit.appendGate('rz', i, { params: { phi: 2 * gammas[l] * ising.h[i] } });
      for (let i = 0; i < 4; i++) {
        for (let j = i + 1; j < 4; j++) {
          circuit.appendGate('zz', [i, j], { params: { theta: 2 * gammas[l] * ising.J[i * 4 + j] } });
        }
      }
      for (let q = 0; q < 4; q++) circuit.appendGate('rx', q, { params: { theta: 2 * betas[l] } });
    }
    circuit.run();
    const reference = circuit.stateAsSimpleArray();
    // e^{−iγE} = e^{−iγ·constant} · RZ·RZZ gates, so our state is the gate circuit's times e^{−i(γ1+γ2)·constant}.
    const phase = -(gammas[0] + gammas[1]) * ising.constant;
    const c = Math.cos(phase);
    const s = Math.sin(phase);
    for (let k = 0; k < 16; k++) {
      const re = reference[k].re * c - reference[k].im * s;
      const im = reference[k].re * s + reference[k].im * c;
      expect(Math.abs(ours.re[k] - re)).toBeLessThan(1e-9);
      expect(Math.abs(ours.im[k] - im)).toBeLessThan(1e-9);
    }
  });

  it('rejects mismatched angle lists and a table that is not 2^n long', () => {
    const energies = new Float64Array(4);
    expect(() => qaoaExpectation(energies, [0.1, 0.2], [0.1])).toThrow(/betas: must have as many angles as gammas/);
    expect(() => qaoaExpectation(new Float64Array(3), [0.1], [0.1])).toThrow(/energies: length must be a power of two/);
  });
});

describe('runQaoa', () => {
  it('lowers ⟨C⟩ below the uniform average, concentrates probability on the optimum and samples it', () => {
    const qubo = randomQubo(6, 4);
    const energies = energyTable(qubo);
    const exact = solveExact(qubo);
    const uniformMean = energies.reduce((s, e) => s + e, 0) / energies.length;
    const result = runQaoa(qubo, { layers: 3, restarts: 3, maxEvaluations: 240, seed: 7 });
    expect(result.evaluations).toBeLessThanOrEqual(240);
    expect(result.expectedEnergy).toBeLessThan(uniformMean);
    expect(result.optimumEnergy).toBeCloseTo(exact.energy, 9);
    expect(result.worstEnergy).toBeCloseTo(exact.worstEnergy, 9);
    expect(result.probabilityOfOptimum).toBeGreaterThan(2 / 64);
    expect(result.sampledOptimum).toBe(true);
    expect(result.bestEnergy).toBeCloseTo(exact.energy, 9);
    expect(result.approximationRatio).toBe(1);
    expect(result.expectedApproximationRatio).toBeGreaterThan(0.5);
    expect(result.expectedApproximationRatio).toBeLessThan(1);
    expect(result.gammas).toHaveLength(3);
    expect(result.betas).toHaveLength(3);
    // The reported angles reproduce the reported expectation.
    expect(qaoaExpectation(energies, result.gammas, result.betas)).toBeCloseTo(result.expectedEnergy, 10);
  });

  it('is deterministic for a seed', () => {
    const qubo = randomQubo(5, 8);
    const a = runQaoa(qubo, { layers: 2, maxEvaluations: 60, seed: 3 });
    const b = runQaoa(qubo, { layers: 2, maxEvaluations: 60, seed: 3 });
    expect(a.gammas).toEqual(b.gammas);
    expect(a.betas).toEqual(b.betas);
    expect(a.bitstring).toBe(b.bitstring);
    expect(a.evaluations).toBe(60);
  });

  it('solves the one-qubit problem C = x exactly', () => {
    const result = runQaoa(Qubo.fromMatrix([[1]]), { layers: 1, maxEvaluations: 200, restarts: 2 });
    expect(result.expectedEnergy).toBeLessThan(1e-6);
    expect(result.probabilityOfOptimum).toBeGreaterThan(0.999999);
    expect(result.bitstring).toBe('0');
  });

  it('refuses more than 20 qubits and bad options, naming the field', () => {
    expect(() => runQaoa(Qubo.fromTerms(new Array(21).fill(1)))).toThrow(
      /qubo.size: QAOA is simulated for at most 20 qubits/,
    );
    expect(() => runQaoa(Qubo.fromMatrix([[1]]), { layers: 0 })).toThrow(/layers: must be an integer in 1..50/);
    expect(() => runQaoa(Qubo.fromMatrix([[1]]), { restarts: 3, maxEvaluations: 2 })).toThrow(/maxEvaluations/);
  });
});
