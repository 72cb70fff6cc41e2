// Statistics shared by the node benchmark drivers (login_bench.mjs, token_bench.mjs).

// Nearest-rank quantile.
export function quantile(values, q) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

export const median = (values) => quantile(values, 0.5);
