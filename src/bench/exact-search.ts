/** Exact k-nearest-neighbour search by cosine over unit vectors: the ground truth HNSW is measured against. */
export class ExactSearch {
  private readonly data: Float32Array;

  constructor(
    vectors: number[][],
    private readonly dimensions: number,
  ) {
    this.data = new Float32Array(vectors.length * dimensions);
    vectors.forEach((v, i) => this.data.set(v, i * dimensions));
  }

  search(query: number[], k: number): number[] {
    const n = this.data.length / this.dimensions;
    const best: { label: number; score: number }[] = [];
    for (let label = 0; label < n; label++) {
      let score = 0;
      const offset = label * this.dimensions;
      for (let d = 0; d < this.dimensions; d++) score += this.data[offset + d]! * query[d]!;
      if (best.length < k || score > best[best.length - 1]!.score) {
        best.push({ label, score });
        best.sort((a, b) => b.score - a.score);
        if (best.length > k) best.pop();
      }
    }
    return best.map((b) => b.label);
  }
}
