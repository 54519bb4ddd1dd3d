// Which torch build goes into a managed environment on this machine. PyPI's Linux wheels are the CUDA build
// (about 2.5 GB with its CUDA libraries), useless without an NVIDIA driver; PyTorch's own CPU index has the
// small CPU build. The user can name any pip arguments instead (a pinned version, a CUDA index, a local wheel).

/** Environment variable with the pip arguments that install torch, e.g. `torch==2.4.1` or
 *  `torch --index-url https://download.pytorch.org/whl/cu121`. Empty or unset: chosen from the preflight. */
export const TORCH_PIP_ARGS_VARIABLE = 'BRIGHTRUN_TORCH_PIP_ARGS';

export const CPU_TORCH_INDEX = 'https://download.pytorch.org/whl/cpu';

export interface TorchInstall {
  /** Arguments for `pip install`, run in the new environment before the requirements. */
  pipArgs: string[];
  /** For progress messages: what is being installed and why. */
  description: string;
}

/** Splits the variable's value into pip arguments (whitespace-separated, as a shell would without quotes). */
export function parseTorchPipArgs(value: string | undefined): string[] | null {
  const args = (value ?? '').trim().split(/\s+/).filter(Boolean);
  return args.length > 0 ? args : null;
}

/** The torch to install: the user's arguments when given, else CUDA when preflight saw an NVIDIA driver
 *  (nvidia-smi), else the CPU build. */
export function chooseTorchInstall(nvidiaDriver: string | null, userArgs: string[] | null): TorchInstall {
  if (userArgs) return { pipArgs: userArgs, description: `torch as ${TORCH_PIP_ARGS_VARIABLE} says (pip install ${userArgs.join(' ')})` };
  if (nvidiaDriver) return { pipArgs: ['torch'], description: `torch, CUDA build from PyPI (NVIDIA driver ${nvidiaDriver} found)` };
  return { pipArgs: ['torch', '--index-url', CPU_TORCH_INDEX], description: `torch, CPU build from ${CPU_TORCH_INDEX} (no NVIDIA driver found)` };
}
