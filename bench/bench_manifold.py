#!/usr/bin/env python
"""Speed and memory of `ManifoldMixCallback` next to a plain Learner and fastai's `MixUp`.

Usage: python bench/bench_manifold.py [--rounds 30] [--warmup 3] [--threads 2] [--bs 256] [--mem-steps 4] [--no-profile] [--no-memory]

What it measures (CPU, `--threads` intra-op threads, batch `--bs`, synthetic MNIST-shaped data):

* **Per-step time.** For each model (an MLP 784-1024x3-10 and a 3-conv CNN) one `Learner` per method, all with the
  same initial weights and the same pre-generated batches, driven in ONE process, interleaved step by step (the order
  of the methods is shuffled every round, so drifts in machine load hit every method alike). A step is
  `Learner.one_batch`: every callback event, forward, loss, backward and optimizer step; data loading is excluded
  (it is the same for all methods). Reported: the median process CPU time per step (`time.process_time`, all threads)
  and its ratio to plain; the *paired ratio*, the median over rounds of (this method's step / plain's step in the
  same round), which cancels load that drifts between rounds; the 10th percentile of the CPU time and its ratio
  (the least-disturbed steps); and the median wall time. On a machine shared with other jobs, wall time is dominated
  by waiting for a core and CPU time by contention for caches and memory bandwidth, so every figure is noisy: read
  the three ratios together.
* **Memory.** `tracemalloc` does not see torch's allocations, and the peak RSS (`ru_maxrss`) of a fresh process is
  set by the imports, not by training (we measured a zero delta over 10 steps), so memory is read from torch's own
  allocator events: `torch.profiler` with `profile_memory=True` records every CPU allocation and free; sorted by time
  and summed, they give the *step peak*, the highest point of torch-allocated memory during one training step above
  what is held between steps. It is averaged over `--mem-steps` steady-state steps (the hidden mixing point is random,
  so the peak varies by step). *Total* adds what is held between steps (parameters, gradients, Adam state; the same
  for every method). Also reported: *saved*, the bytes of distinct storages autograd keeps for the backward of one
  step (`torch.autograd.graph.saved_tensors_hooks`), averaged over the same steps.
* **Profile.** `torch.profiler` on a few CNN steps of plain, `ManifoldMixCallback` (hidden) and a naive hook that
  mixes `h` with `h[randperm]`, listing the ops with the largest self CPU time: where the time goes.

Methods: plain; fastai `MixUp` (alpha 0.4, its default; speed does not depend on alpha); `ManifoldMixCallback`
input-only (`modules=[]`, mixup at the input through the callback); `ManifoldMixCallback` hidden
(`input_mix=False`: a uniformly drawn hidden block); and, as the reference the issue measured, a naive hidden-mix
callback that gathers `h[perm]` at the same hidden blocks (same loss computation as `ManifoldMixCallback`).
"""
import argparse, random, statistics, time, warnings
warnings.filterwarnings('ignore')
import torch
from torch import nn
from fastai.learner import Learner
from fastai.callback.core import Callback
from fastai.callback.mixup import MixUp
from fastai.callback.progress import ProgressCallback
from fastai.losses import CrossEntropyLossFlat
from fastcore.basics import noop
from mixup_nb.data import tensor_dls
from mixup_nb.manifold import ManifoldMixCallback, eligible_modules
from mixup_nb.mixing import sample_lam, mix, mixed_loss

METHODS = ['plain', 'fastai MixUp', 'MM input-only', 'MM hidden', 'naive gather hook']

def make_model(kind):
    "The benchmarked models: MLP 784-1024x3-10, or a 3-conv CNN on 1x28x28."
    if kind == 'mlp':
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(),
                             nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
                         nn.Conv2d(64, 64, 3, stride=2, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(64, 10))

class NaiveManifoldMix(Callback):
    "Reference only: mix `h` with `h[randperm]` at a uniformly drawn hidden block (the gather the issue measured)."
    run_valid = False
    def before_fit(self): self.names = [n for n, _ in eligible_modules(self.learn.model)]
    def before_batch(self):
        self.h = None
        if not self.training: return
        x, y = self.x, self.y
        self.perm = torch.randperm(len(x), device=x.device)
        self.lam = sample_lam(len(x), 2.0, device=x.device)
        self.y2 = y[self.perm]
        mod = self.learn.model.get_submodule(self.names[int(torch.randint(len(self.names), ()))])
        def hook(m, i, o):
            self.h.remove()
            return mix(o, o[self.perm], self.lam)
        self.h = mod.register_forward_hook(hook)
    def after_loss(self):
        self.learn.loss_grad = mixed_loss(self.learn.loss_func, self.learn.pred, self.learn.yb[0], self.y2, self.lam)
        self.learn.loss = self.learn.loss_grad.clone()

def make_cb(method):
    return {'plain': None, 'fastai MixUp': MixUp(), 'MM input-only': ManifoldMixCallback(modules=[], input_mix=True),
            'MM hidden': ManifoldMixCallback(input_mix=False), 'naive gather hook': NaiveManifoldMix()}[method]

def make_batches(n, bs, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [(torch.randn(bs, 1, 28, 28, generator=g), torch.randint(0, 10, (bs,), generator=g)) for _ in range(n)]

def make_learner(kind, method, bs):
    torch.manual_seed(0)                                                    # same initial weights for every method
    x, y = torch.randn(2*bs, 1, 28, 28), torch.randint(0, 10, (2*bs,))
    dls = tensor_dls(x, y, x, y, bs=bs, device='cpu')
    learn = Learner(dls, make_model(kind), loss_func=CrossEntropyLossFlat(), cbs=make_cb(method))
    learn.remove_cb(ProgressCallback); learn.logger = noop
    learn.create_opt(); learn.n_epoch, learn.n_iter, learn.dl = 1, 10**9, dls.train
    learn.lr = 1e-3
    learn('before_fit'); learn('before_epoch'); learn('before_train')
    return learn

def step(learn, i, b): learn.one_batch(i, b)

def time_steps(kind, args):
    "Interleaved per-step times (seconds) of every method on `kind`."
    learners = {m: make_learner(kind, m, args.bs) for m in METHODS}
    batches = make_batches(8, args.bs)
    wall, cpu, rng = {m: [] for m in METHODS}, {m: [] for m in METHODS}, random.Random(0)
    for r in range(args.warmup + args.rounds):
        order = METHODS[:]; rng.shuffle(order)
        for m in order:
            b = batches[r % len(batches)]
            t0, c0 = time.perf_counter(), time.process_time()
            step(learners[m], r, b)
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            if r >= args.warmup: wall[m].append(dt); cpu[m].append(dc)
    return wall, cpu

def memory(kind, method, bs, steps):
    "Mean step peak (bytes above what is held between steps), bytes held between steps, mean saved-for-backward bytes."
    from torch.profiler import profile as tprofile, ProfilerActivity
    torch.manual_seed(1)
    learn = make_learner(kind, method, bs); batches = make_batches(steps + 2, bs, seed=1)
    for i in range(2): step(learn, i, batches[i])                          # grads and Adam state now exist
    held = sum(p.numel()*p.element_size() for p in learn.model.parameters())
    held += sum(p.grad.numel()*p.grad.element_size() for p in learn.model.parameters() if p.grad is not None)
    held += sum(t.numel()*t.element_size() for st in learn.opt.state.values() for t in st.values() if isinstance(t, torch.Tensor))
    peaks, saved = [], []
    for i in range(2, steps + 2):
        seen = {}
        def pack(t):
            s = t.untyped_storage(); seen[s.data_ptr()] = s.nbytes()
            return t
        with tprofile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
            with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t): step(learn, i, batches[i])
        ev = sorted((e.start_ns(), e.nbytes()) for e in prof.profiler.kineto_results.events() if e.name() == '[memory]')
        cur = peak = 0
        for _, b in ev: cur += b; peak = max(peak, cur)
        peaks.append(peak); saved.append(sum(seen.values()))
    return statistics.mean(peaks), held, statistics.mean(saved)

def profile(kind, bs, steps=5):
    from torch.profiler import profile as tprofile, ProfilerActivity
    for m in ['plain', 'MM hidden', 'naive gather hook']:
        learn = make_learner(kind, m, bs); batches = make_batches(steps + 2, bs)
        for i in range(2): step(learn, i, batches[i])
        with tprofile(activities=[ProfilerActivity.CPU]) as prof:
            for i in range(2, steps + 2): step(learn, i, batches[i])
        print(f'\n--- profile, {kind}, {m}: {steps} steps, top ops by self CPU time')
        print(prof.key_averages().table(sort_by='self_cpu_time_total', row_limit=12, max_name_column_width=40))

def fmt_table(rows, header):
    w = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: ' | '.join(str(c).ljust(w[i]) for i, c in enumerate(r))
    return '\n'.join([line(header), '-+-'.join('-'*x for x in w)] + [line(r) for r in rows])

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--rounds', type=int, default=30); p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--threads', type=int, default=2); p.add_argument('--bs', type=int, default=256)
    p.add_argument('--models', default='mlp,cnn')
    p.add_argument('--no-profile', action='store_true'); p.add_argument('--no-memory', action='store_true')
    p.add_argument('--mem-steps', type=int, default=4)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    print(f'torch {torch.__version__}, {args.threads} threads, batch {args.bs}, {args.rounds} timed rounds '
          f'(+{args.warmup} warm-up), methods interleaved per step')
    t_start = time.time()
    for kind in args.models.split(','):
        wall, cpu = time_steps(kind, args)
        mw = {m: statistics.median(v) for m, v in wall.items()}
        mc = {m: statistics.median(v) for m, v in cpu.items()}
        rows, p10 = [], statistics.quantiles(cpu['plain'], n=10)[0]
        for m in METHODS:
            q = statistics.quantiles(cpu[m], n=10)
            paired = statistics.median(a/b for a, b in zip(cpu[m], cpu['plain']))      # same round: adjacent in time
            rows.append([m, f'{1000*mc[m]:.1f}', f'{mc[m]/mc["plain"]:.3f}', f'{paired:.3f}', f'{1000*q[0]:.1f}',
                         f'{q[0]/p10:.3f}', f'{1000*mw[m]:.1f}', f'{mw[m]/mw["plain"]:.3f}'])
        if not args.no_memory:
            mem = {m: memory(kind, m, args.bs, args.mem_steps) for m in METHODS}
            pk, held, sv = mem['plain']
            for row, m in zip(rows, METHODS):
                p_, h_, s_ = mem[m]
                row += [f'{p_/2**20:.1f}', f'{p_/pk:.3f}', f'{(p_+h_)/2**20:.1f}', f'{(p_+h_)/(pk+held):.3f}', f'{s_/2**20:.1f}']
        header = ['method', 'CPU ms', 'CPU ratio', 'paired ratio', 'CPU p10 ms', 'p10 ratio', 'wall ms', 'wall ratio']
        if not args.no_memory: header += ['step peak MiB', 'peak ratio', 'total MiB', 'total ratio', 'saved MiB']
        print(f'\n{kind.upper()} ({"784-1024x3-10" if kind == "mlp" else "3 conv"}):')
        print(fmt_table(rows, header))
    if not args.no_profile: profile('cnn', args.bs)
    print(f'\ntotal {time.time() - t_start:.0f} s')

if __name__ == '__main__': main()
