import QuantumCircuit from 'quantum-circuit';
import { createRng, type Rng } from './seeded-rng';
import { Statevector } from './statevector';

type Gate =
  | { name: 'h' | 'x' | 'y' | 'z'; q: number }
  | { name: 'rx' | 'ry' | 'rz' | 'phase'; q: number; angle: number }
  | { name: 'cnot' | 'cz'; a: number; b: number }
  | { name: 'rzz'; a: number; b: number; angle: number };

function randomCircuit(rng: Rng, qubits: number, length: number): Gate[] {
  const single = ['h', 'x', 'y', 'z'] as const;
  const rotations = ['rx', 'ry', 'rz', 'phase'] as const;
  const pairs = ['cnot', 'cz'] as const;
  const gates: Gate[] = [];
  for (let g = 0; g < length; g++) {
    const kind = rng.nextInt(qubits > 1 ? 4 : 2);
    const q = rng.nextInt(qubits);
    const angle = (rng.next() * 4 - 2) * Math.PI;
    let b = rng.nextInt(qubits);
    if (b === q) b = (q + 1) % qubits;
    if (kind === 0) gates.push({ name: single[rng.nextInt(4)], q });
    else if (kind === 1) gates.push({ name: rotations[rng.nextInt(4)], q, angle });
    else if (kind === 2) gates.push({ name: pairs[rng.nextInt(2)], a: q, b });
    else gates.push({ name: 'rzz', a: q, b, angle });
  }
  return gates;
}

function runOurs(qubits: number, gates: Gate[]): Statevector {
  const sv = new Statevector(qubits);
  for (const g of gates) {
    switch (g.name) {
      case 'h':
      case 'x':
      case 'y':
      case 'z':
        sv[g.name](g.q);
        break;
      case 'rx':
      case 'ry':
      case 'rz':
      case 'phase':
        sv[g.name](g.q, g.angle);
        break;
      case 'cnot':
      case 'cz':
        sv[g.name](g.a, g.b);
        break;
      case 'rzz':
        sv.rzz(g.a, g.b, g.angle);
        break;
    }
  }
  return sv;
}

/** The same circuit in quantum-circuit's vocabulary: its wires are our qubit indices (wire w = bit w of the index). */
function runReference(qubits: number, gates: Gate[]): { re: number; im: number }[] {
  const circuit = new QuantumCircuit(qubits);
  for (const g of gates) {
    switch (g.name) {
      case 'h':
      case 'x':
      case 'y':
      case 'z':
        circuit.appendGate(g.name, g.q);
        break;
      case 'rx':
      case 'ry':
        circuit.appendGate(g.name, g.q, { params: { theta: g.angle } });
        break;
      case 'rz':
        circuit.appendGate('rz', g.q, { params: { phi: g.angle } });
        break;
      case 'phase':
        circuit.appendGate('u1', g.q, { params: { lambda: g.angle } });
        break;
      case 'cnot':
        circuit.appendGate('cx', [g.a, g.b]);
        break;
      case 'cz':
        circuit.appendGate('cz', [g.a, g.b]);
        break;
      case 'rzz':
        circuit.appendGate('zz', [g.a, g.b], { params: { theta: g.angle } });
        break;
    }
  }
  circuit.run();
  return circuit.stateAsSimpleArray();
}

describe('Statevector', () => {
  it('matches quantum-circuit amplitude by amplitude (1e-9) on random circuits of 1–5 qubits', () => {
    const rng = createRng(2024);
    for (let trial = 0; trial < 30; trial++) {
      const qubits = 1 + (trial % 5);
      const gates = randomCircuit(rng, qubits, 25);
      const ours = runOurs(qubits, gates);
      const reference = runReference(qubits, gates);
      expect(reference.length).toBe(ours.dimension);
      for (let k = 0; k < ours.dimension; k++) {
        expect(Math.abs(ours.re[k] - reference[k].re)).toBeLessThan(1e-9);
        expect(Math.abs(ours.im[k] - reference[k].im)).toBeLessThan(1e-9);
      }
    }
  });

  it('follows the documented qubit order: X on qubit 0 of 3 gives index 1, CNOT(2→0) after X(2) gives index 5', () => {
    expect(new Statevector(3).x(0).re[1]).toBe(1);
    const sv = new Statevector(3).x(2).cnot(2, 0);
    expect(sv.re[5]).toBe(1);
    expect(sv.norm()).toBe(1);
  });

  it('prepares |+⟩^n, keeps the norm through rotations and computes diagonal expectations', () => {
    const sv = new Statevector(4).resetToUniform();
    const diagonal = Float64Array.from({ length: 16 }, (_, k) => k);
    expect(sv.expectation(diagonal)).toBeCloseTo(7.5, 12);
    sv.rx(0, 0.3).ry(1, 1.1).rzz(2, 3, 0.7).applyDiagonalPhase(diagonal, 0.4);
    expect(sv.norm()).toBeCloseTo(1, 12);
    // A diagonal phase changes no probability.
    const before = new Statevector(4).resetToUniform().rx(0, 0.3).ry(1, 1.1).probabilities();
    const after = sv.probabilities();
    for (let k = 0; k < 16; k++) expect(after[k]).toBeCloseTo(before[k], 12);
  });

  it('applies e^{−iγE} to each amplitude', () => {
    const sv = new Statevector(1).resetToUniform().applyDiagonalPhase(Float64Array.from([0, 2]), 0.25);
    expect(sv.re[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(sv.im[0]).toBeCloseTo(0, 12);
    expect(sv.re[1]).toBeCloseTo(Math.SQRT1_2 * Math.cos(0.5), 12);
    expect(sv.im[1]).toBeCloseTo(-Math.SQRT1_2 * Math.sin(0.5), 12);
  });

  it('samples with the frequencies of |amplitude|², reproducibly for a seed', () => {
    const sv = new Statevector(2).ry(0, 2 * Math.acos(Math.sqrt(0.8))).h(1);
    const probabilities = sv.probabilities();
    expect(Array.from(probabilities).map((p) => Number(p.toFixed(12)))).toEqual([0.4, 0.1, 0.4, 0.1]);
    const shots = sv.sample(40_000, createRng(1));
    const counts = [0, 0, 0, 0];
    for (const s of shots) counts[s] += 1;
    for (let k = 0; k < 4; k++) expect(Math.abs(counts[k] / 40_000 - probabilities[k])).toBeLessThan(0.01);
    expect(Array.from(sv.sample(50, createRng(3)))).toEqual(Array.from(sv.sample(50, createRng(3))));
  });

  it('rejects bad qubit indices and sizes, naming the field', () => {
    const sv = new Statevector(2);
    expect(() => sv.h(2)).toThrow(/qubit: must be a qubit index in 0..1/);
    expect(() => sv.cnot(1, 1)).toThrow(/target: must differ from the control qubit/);
    expect(() => new Statevector(25)).toThrow(/qubits: must be an integer in 1..24/);
    expect(() => sv.applyDiagonalPhase(new Float64Array(3), 1)).toThrow(/energies: must have 4 entries/);
  });
});
