#!/usr/bin/env python
"""Speed and memory of `ManifoldMixCallback` next to a plain Learner and fastai's `MixUp`, eager and compiled.

Usage: python bench/bench_manifold.py [--models mlp,cnn,resnet18] [--modes eager,compiled] [--runs 3] [--rounds 20]
                                      [--threads 1] [--bs 256] [--bs-resnet 32] [--mem-steps 2] [--no-memory] [--naive]
                                      [--host-rounds 600] [--bs-host 32] [--no-host | --only-host]

What it measures (CPU, `--threads` intra-op threads, synthetic data: MNIST-shaped 1x28x28 for the MLP 784-1024x3-10
and the 3-conv CNN, CIFAR-shaped 3x32x32 for torchvision's `resnet18(num_classes=10)`):

* **Per-step time, paired.** For each model and mode (`eager`, or `compiled`: `torch.compile(model)`, inductor) one
  `Learner` per method, all with the same initial weights and the same pre-generated batches, driven in ONE process
  and interleaved step by step: the order of the methods is shuffled every round, so drifts in machine load hit
  every method alike. A step is `Learner.one_batch`: every callback event, forward, loss, backward and optimizer
  step; data loading is excluded (the same for all methods). Compiled learners are warmed up until every mixing point
  has been traced (one graph per point), so compile time is never timed. The *paired ratio* of a method is the
  median over rounds of (its step's process CPU time / plain's step in the same round). This is repeated `--runs`
  times with fresh learners; reported are the median of the runs' paired ratios and their spread (min-max), with
  the same for wall time, and plain's median step.
* **Memory** (eager): `torch.profiler` with `profile_memory=True` records every CPU allocation and free; summed in
  time order they give the *step peak*, the highest point of torch-allocated memory during one training step above
  what is held between steps, averaged over `--mem-steps` steps; *saved* is the bytes of distinct storages autograd
  keeps for the backward (`torch.autograd.graph.saved_tensors_hooks`). (`tracemalloc` does not see torch's
  allocations, and a fresh process's peak RSS is set by its imports.)

* **Host overhead.** A 16-wide MLP with three hidden layers at batch 32, whose compute is negligible, so that a step's
  time is the host's: Python, callbacks, kernel launches (what a launch-bound GPU step pays). Plain, fastai `MixUp`,
  input-only and hidden mixing, and plain and hidden mixing compiled, in ONE process, interleaved step by step
  (`--host-rounds` rounds, shuffled order); reported: each method's median step and the median over rounds of its
  step minus plain's step in the same round (compiled against compiled plain), in microseconds.

Methods: plain; fastai `MixUp` (alpha 0.4, its default; speed does not depend on alpha); `ManifoldMixCallback`
input-only (`modules=[]`: mixup at the input through the callback); `ManifoldMixCallback` hidden (`input_mix=False`:
a uniformly drawn hidden block); with `--naive`, a reference hook that mixes `h` with `h[randperm]` (a gather) at the
same points, eager only.

Quiet-run protocol (the goals are ratios, and they are read from this script, never from a timed test):
1. Nothing else runs on the machine: no training, no notebook, no compile in another process (`uptime` load
   average below 0.3 before starting).
2. One intra-op thread (`--threads 1`, the default) so that the methods do not compete for cores with each other's
   leftover worker threads, and `OMP_NUM_THREADS=1` in the environment.
3. Run the whole script at least twice and compare: a ratio that moves by more than its printed spread between two
   runs was disturbed; report the run whose plain step is faster (less contended).
4. Read the CPU and wall ratios together: on a loaded machine wall time is dominated by waiting for a core.
"""
import argparse, random, statistics, time, warnings
warnings.filterwarnings('ignore')
import torch, torchvision
from torch import nn
from fastai.callback.core import Callback
from fastai.callback.mixup import MixUp
from mixup_nb.data import tensor_dls
from mixup_nb.test_utils import quiet_learner, start
from mixup_nb.manifold import ManifoldMixCallback
from mixup_nb.points import eligible_modules
from mixup_nb.mixing import sample_lam, mix, mixed_loss

SHAPES = {'mlp': (1, 28, 28), 'cnn': (1, 28, 28), 'resnet18': (3, 32, 32), 'tiny': (16,)}
NAMES = {'mlp': 'MLP 784-1024x3-10', 'cnn': '3-conv CNN', 'resnet18': 'torchvision resnet18, 3x32x32', 'tiny': 'MLP 16-16x3-10'}

def make_model(kind):
    "The benchmarked models: MLP 784-1024x3-10, a 3-conv CNN on 1x28x28, torchvision resnet18 (10 classes); `tiny`: MLP 16-16x3-10."
    if kind == 'tiny': return nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 10))
    if kind == 'mlp':
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(),
                             nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))
    if kind == 'cnn':
        return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
                             nn.Conv2d(64, 64, 3, stride=2, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                             nn.Linear(64, 10))
    return torchvision.models.resnet18(num_classes=10)

class NaiveManifoldMix(Callback):
    "Reference only: mix `h` with `h[randperm]` at a uniformly drawn hidden block (a gather)."
    run_valid = False
    def before_fit(self): self.names = [n for n, _ in eligible_modules(self.learn.model)]
    def before_batch(self):
        self.h = None
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

def make_batches(kind, n, bs, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [(torch.randn(bs, *SHAPES[kind], generator=g), torch.randint(0, 10, (bs,), generator=g)) for _ in range(n)]

def make_learner(kind, method, bs, compiled=False):
    torch.manual_seed(0)                                                    # same initial weights for every method
    x, y = make_batches(kind, 1, 2*bs, seed=99)[0]
    model = make_model(kind)
    learn = quiet_learner(torch.compile(model) if compiled else model, tensor_dls(x, y, x, y, bs=bs, device='cpu'), make_cb(method))
    return start(learn, n_iter=10**9)                                       # ready for `one_batch` on pre-made batches

def step(learn, i, b): learn.one_batch(i, b)

def warm_up(learners, batches, warmup):
    "`warmup` steps of each learner; a compiled hidden-mixing learner steps on until every point has been traced."
    for m, learn in learners.items():
        cb = learn.cbs.filter(lambda c: isinstance(c, ManifoldMixCallback))
        need = set(cb[0].eligible) if cb and not cb[0].input_mix else set()
        for i in range(1000):
            if i >= warmup and need <= set(cb[0].counts if cb else ()): break
            step(learn, i, batches[i % len(batches)])

def time_run(kind, mode, methods, args, seed):
    "Interleaved per-step (CPU, wall) times of every method, one run."
    bs = args.bs_resnet if kind == 'resnet18' else args.bs
    learners = {m: make_learner(kind, m, bs, compiled=mode == 'compiled') for m in methods}
    batches = make_batches(kind, 8, bs, seed=seed)
    warm_up(learners, batches, args.warmup)
    wall, cpu, rng = {m: [] for m in methods}, {m: [] for m in methods}, random.Random(seed)
    for r in range(args.rounds):
        order = methods[:]; rng.shuffle(order)
        for m in order:
            t0, c0 = time.perf_counter(), time.process_time()
            step(learners[m], r, batches[r % len(batches)])
            wall[m].append(time.perf_counter() - t0); cpu[m].append(time.process_time() - c0)
    return cpu, wall

def paired(ts, ref): return statistics.median(a/b for a, b in zip(ts, ref))

def memory(kind, method, bs, steps):
    "Mean step peak (bytes above what is held between steps), mean saved-for-backward bytes."
    from torch.profiler import profile as tprofile, ProfilerActivity
    learn = make_learner(kind, method, bs); batches = make_batches(kind, steps + 2, bs, seed=1)
    for i in range(2): step(learn, i, batches[i])                          # grads and Adam state now exist
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
    return statistics.mean(peaks), statistics.mean(saved)

def fmt_table(rows, header):
    w = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: ' | '.join(str(c).ljust(w[i]) for i, c in enumerate(r))
    return '\n'.join([line(header), '-+-'.join('-'*x for x in w)] + [line(r) for r in rows])

def spread(v): return f'{statistics.median(v):.3f} [{min(v):.3f}-{max(v):.3f}]'

def bench(kind, mode, args):
    "The table of one model and mode: paired ratios over `--runs` runs, plain's step, and (eager) memory."
    methods = ['plain', 'fastai MixUp', 'MM input-only', 'MM hidden'] + ['naive gather hook']*(args.naive and mode == 'eager')
    cpu_r, wall_r, plain_ms = {m: [] for m in methods}, {m: [] for m in methods}, []
    for run in range(args.runs):
        if mode == 'compiled': torch.compiler.reset()
        cpu, wall = time_run(kind, mode, methods, args, seed=run)
        plain_ms.append(1000*statistics.median(cpu['plain']))
        for m in methods: cpu_r[m].append(paired(cpu[m], cpu['plain'])); wall_r[m].append(paired(wall[m], wall['plain']))
    rows = [[m, spread(cpu_r[m]), spread(wall_r[m])] for m in methods]
    header = ['method', f'CPU paired ratio, median [min-max] of {args.runs} runs', 'wall paired ratio']
    if mode == 'eager' and not args.no_memory:
        bs = args.bs_resnet if kind == 'resnet18' else args.bs
        mem = {m: memory(kind, m, bs, args.mem_steps) for m in methods}
        for row, m in zip(rows, methods): row += [f'{mem[m][0]/mem["plain"][0]:.3f}', f'{mem[m][1]/2**20:.1f}']
        header += ['step peak ratio', 'saved MiB']
    bs = args.bs_resnet if kind == 'resnet18' else args.bs
    print(f'\n{NAMES[kind]}, {mode}, batch {bs}: plain step {statistics.median(plain_ms):.1f} ms CPU (median of runs)', flush=True)
    print(fmt_table(rows, header), flush=True)
    return rows

HOST = ['plain', 'fastai MixUp', 'MM input-only', 'MM hidden', 'plain, compiled', 'MM hidden, compiled']

def host_overhead(args):
    "Host time per step that each method adds on a model whose compute is negligible (what a launch-bound GPU step pays)."
    learners = {m: make_learner('tiny', m.split(',')[0], args.bs_host, compiled=m.endswith('compiled')) for m in HOST}
    batches = make_batches('tiny', 8, args.bs_host)
    warm_up(learners, batches, args.warmup)
    t, rng = {m: [] for m in HOST}, random.Random(0)
    for r in range(args.host_rounds):
        order = HOST[:]; rng.shuffle(order)
        for m in order:
            t0 = time.perf_counter(); step(learners[m], r, batches[r % len(batches)]); t[m].append(time.perf_counter() - t0)
    rows = []
    for m in HOST:
        ref = t['plain, compiled' if m.endswith('compiled') else 'plain']
        added = statistics.median(a - b for a, b in zip(t[m], ref))
        rows.append([m, f'{1e6*statistics.median(t[m]):.0f}', '' if t[m] is ref else f'{1e6*added:+.0f}'])
    print(f'\nHost overhead: {NAMES["tiny"]}, batch {args.bs_host}, {args.host_rounds} interleaved rounds (wall time, one thread)', flush=True)
    print(fmt_table(rows, ['method', 'step, us (median)', 'added per step vs plain (same mode), us (median of paired differences)']), flush=True)
    return rows

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--models', default='mlp,cnn,resnet18'); p.add_argument('--modes', default='eager,compiled')
    p.add_argument('--runs', type=int, default=3); p.add_argument('--rounds', type=int, default=20)
    p.add_argument('--warmup', type=int, default=3); p.add_argument('--threads', type=int, default=1)
    p.add_argument('--bs', type=int, default=256); p.add_argument('--bs-resnet', type=int, default=32)
    p.add_argument('--mem-steps', type=int, default=2); p.add_argument('--no-memory', action='store_true')
    p.add_argument('--naive', action='store_true')
    p.add_argument('--host-rounds', type=int, default=600); p.add_argument('--bs-host', type=int, default=32)
    p.add_argument('--no-host', action='store_true'); p.add_argument('--only-host', action='store_true')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    print(f'torch {torch.__version__}, {args.threads} thread(s), {args.runs} runs x {args.rounds} timed rounds per '
          f'configuration, methods interleaved per step', flush=True)
    t_start = time.time()
    if not args.no_host: host_overhead(args)
    for kind in ([] if args.only_host else args.models.split(',')):
        for mode in args.modes.split(','): bench(kind, mode, args)
    print(f'\ntotal {time.time() - t_start:.0f} s')

if __name__ == '__main__': main()
