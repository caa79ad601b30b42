"""Per-step time and peak memory of AMR (k=2, k=3) against AE+GAN with the same networks, side by side in one run.

Usage: python bench/bench_amr.py [--arch conv|mlp] [--bs 64] [--rounds 4] [--steps 5] [--mem-steps 4] [--device cpu] [--threads 1]

Time: the configurations take turns, `--steps` training batches each per round, for `--rounds` rounds (so a shared
machine's load hits them alike); a step is one whole training batch of the Learner (generator step, discriminator
step and probe step), timed from `before_batch` to `after_batch`; the first round is warm-up and is dropped.
Memory: on CUDA `torch.cuda.max_memory_allocated` during the steps; on CPU each configuration runs `--mem-steps`
batches in a fresh subprocess, and a thread samples the resident set size every 0.5 ms: the peak above the RSS
just before training (after the data and networks are built).
"""
import argparse, gc, json, os, statistics, subprocess, sys, threading, time
import torch
from fastai.callback.core import Callback
from mixup_nb.data import get_dls
from mixup_nb.amr import amr_learner
from mixup_nb.experiments import mnist_nets

CONFIGS = {'AE+GAN': dict(mixer=None), 'AMR mixup k=2': dict(mixer='mixup', k=2), 'AMR mixup k=3': dict(mixer='mixup', k=3),
           'AMR Bernoulli k=3': dict(mixer='bernoulli', k=3)}

class StepTimer(Callback):
    "Wall time of every training batch (synchronising CUDA so that the time is the step's)."
    order = 100
    def __init__(self): self.times = []
    def _sync(self):
        if self.dls.device.type == 'cuda': torch.cuda.synchronize()
    def before_batch(self):
        if self.training: self._sync(); self.t0 = time.perf_counter()
    def after_batch(self):
        if self.training: self._sync(); self.times.append(time.perf_counter() - self.t0)

def make(name, a, steps=None):
    torch.manual_seed(0)
    dls = get_dls('mnist', bs=a.bs, n_train=a.bs*(steps or a.steps), flatten=a.arch == 'mlp', device=a.device)
    dls.valid = dls.valid.new(dls.valid.dataset.__class__(*[t[:a.bs] for t in dls.valid.dataset.tensors]))
    learn = amr_learner(dls, *mnist_nets(a.arch), **CONFIGS[name])
    learn.model.to(a.device)
    return learn

def memory(name, a):
    "Peak memory (MiB) of `--mem-steps` training batches of `name`, measured in this process."
    learn = make(name, a, a.mem_steps)
    if a.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats(); base = torch.cuda.memory_allocated()
        with learn.no_bar(), learn.no_logging(): learn.fit(1)
        return (torch.cuda.max_memory_allocated() - base) / 2**20
    rss = lambda: int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20
    gc.collect(); base, peak, done = rss(), [0.], threading.Event()
    def sample():                       # the peak RSS while training (ru_maxrss would include loading the data)
        while not done.is_set(): peak[0] = max(peak[0], rss()); time.sleep(0.0005)
    th = threading.Thread(target=sample); th.start()
    try:
        with learn.no_bar(), learn.no_logging(): learn.fit(1)
    finally: done.set(); th.join()
    return peak[0] - base

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--arch', default='conv', choices=['conv', 'mlp'])
    p.add_argument('--bs', type=int, default=64)
    p.add_argument('--rounds', type=int, default=4)
    p.add_argument('--steps', type=int, default=5)
    p.add_argument('--mem-steps', type=int, default=4)
    p.add_argument('--device', default='cpu')
    p.add_argument('--threads', type=int, default=1, help='torch CPU threads (1: fastest for small nets on a shared CPU)')
    p.add_argument('--mem-only', default=None, help=argparse.SUPPRESS)
    a = p.parse_args()
    import fastai.callback.progress  # noqa: F401  (learn.no_bar)
    torch.set_num_threads(a.threads)
    if a.mem_only: print(json.dumps(memory(a.mem_only, a))); return
    learners = {n: make(n, a) for n in CONFIGS}
    timers = {n: StepTimer() for n in CONFIGS}
    for r in range(a.rounds):
        for n, learn in learners.items():
            with learn.no_bar(), learn.no_logging(): learn.fit(1, cbs=timers[n])
    med = {n: statistics.median(t.times[a.steps:]) for n, t in timers.items()}
    mem = {}
    for n in CONFIGS:
        if a.device.startswith('cuda'): mem[n] = memory(n, a)
        else:
            out = subprocess.run([sys.executable, __file__, '--mem-only', n, '--arch', a.arch, '--bs', str(a.bs), '--steps', str(a.steps),
                                  '--mem-steps', str(a.mem_steps), '--device', a.device, '--threads', str(a.threads)], capture_output=True, text=True, check=True)
            mem[n] = float(out.stdout.strip().splitlines()[-1])
    b = 'AE+GAN'
    print(f"arch={a.arch} bs={a.bs} device={a.device} threads={torch.get_num_threads()} timed steps/config={len(timers[b].times)-a.steps}")
    print(f"{'model':<20}{'median s/step':>14}{'x AE+GAN':>10}{'peak MiB':>10}{'x AE+GAN':>10}")
    for n in CONFIGS:
        print(f"{n:<20}{med[n]:>14.4f}{med[n]/med[b]:>10.2f}{mem[n]:>10.1f}{mem[n]/mem[b]:>10.2f}")

if __name__ == '__main__': main()
