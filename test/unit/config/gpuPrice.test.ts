// Default prices per GPU-hour from the GPU table, for hosts without a configured price.
import { describe, expect, it } from 'vitest';
import { estimateRun } from '../../../src/core/config/estimate';
import { defaultGpuPrice, GPU_TABLE, gpuClass, hostGpuPrice } from '../../../src/core/config/throughputTable';

describe('default GPU prices', () => {
  it('knows the common cards by the names nvidia-smi and torch report', () => {
    const price = (name: string) => defaultGpuPrice(name)?.usdPerHour;
    const names: Record<string, number> = {
      'NVIDIA H200': 3.8,
      'NVIDIA H100 80GB HBM3': 2.99,
      'NVIDIA A100-SXM4-80GB': 1.79,
      'NVIDIA A100 80GB PCIe': 1.79,
      'NVIDIA A100-SXM4-40GB': 1.29,
      'NVIDIA A100-PCIE-40GB': 1.29,
      'NVIDIA L40S': 0.99,
      'NVIDIA A10G': 1.01,
      'NVIDIA L4': 0.71,
      'NVIDIA GeForce RTX 4090': 0.69,
      'NVIDIA GeForce RTX 3090': 0.43,
      'Tesla T4': 0.35,
      'Tesla V100-SXM2-16GB': 0.55,
    };
    for (const [name, usd] of Object.entries(names)) expect([name, price(name)]).toEqual([name, usd]);
    expect(defaultGpuPrice('NVIDIA A100-SXM4-40GB')?.fromGpu).toBe('A100 40GB');
    expect(gpuClass('NVIDIA A100-SXM4-40GB').peakTflops).toBe(gpuClass('NVIDIA A100-SXM4-80GB').peakTflops);
  });

  it('has no price for a CPU, no GPU or a GPU it does not know (no guessing)', () => {
    expect(defaultGpuPrice('cpu')).toBeUndefined();
    expect(defaultGpuPrice(null)).toBeUndefined();
    expect(defaultGpuPrice('')).toBeUndefined();
    expect(defaultGpuPrice('Imaginary X9000')).toBeUndefined();
  });

  it('every GPU entry has a plausible price; a configured price always wins', () => {
    for (const gpu of GPU_TABLE.filter((g) => g.label !== 'CPU')) {
      expect(gpu.usdPerHour, gpu.label).toBeGreaterThan(0.1);
      expect(gpu.usdPerHour, gpu.label).toBeLessThan(10);
    }
    expect(hostGpuPrice(4.2, 'NVIDIA H100 80GB HBM3')).toEqual({ usdPerHour: 4.2, fromGpu: null });
    expect(hostGpuPrice(0, 'NVIDIA H100 80GB HBM3')).toEqual({ usdPerHour: 0, fromGpu: null });
    expect(hostGpuPrice(null, 'NVIDIA H100 80GB HBM3')).toEqual({ usdPerHour: 2.99, fromGpu: 'H100' });
    expect(hostGpuPrice(undefined, null)).toBeUndefined();
  });

  it("the estimate's basis says when the price is the detected GPU's default", () => {
    const input = {
      stats: { examples: 100, tokens: { total: 100_000, assistant: 0, p50: 900, p95: 2000, max: 3000 }, paddingWaste: 0, tokensApproximate: false },
      config: {
        base_model: 'm-1B',
        max_seq_len: 1024,
        packing: true,
        epochs: 1,
        max_steps: null,
        batch_size: 1,
        grad_accum: 1,
        num_gpus: 2,
        validation_split: 0,
        validation_file: null,
      },
      host: 'gpu-box',
      gpu: 'NVIDIA L4',
    };
    const fromGpu = estimateRun({ ...input, pricePerGpuHour: 0.71, priceFromGpu: 'L4' });
    expect(fromGpu.basis).toMatch(/\$0\.71\/GPU-hour \(typical on-demand price for the detected L4; set pricePerGpuHour for your own\) x 2 GPUs/);
    expect(fromGpu.costUsd).toBeCloseTo((fromGpu.durationS / 3600) * 0.71 * 2, 6);
    expect(estimateRun({ ...input, pricePerGpuHour: 0.71 }).basis).not.toMatch(/detected/);
  });
});
