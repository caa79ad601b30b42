#!/usr/bin/env python
"""The callbacks on one CUDA GPU, in one command: mixed precision, channels_last, compile, host syncs and speed.

Usage: python bench/gpu_check.py [--out gpu_check.json] [--steps 30] [--repeats 3] [--bs 256]
       python bench/gpu_check.py --device cpu --quick      (the same checks at toy sizes, to test this script on a CPU)

Without CUDA (and without `--device`), it says so in one line and exits 0: CI runs that path. On a GPU it takes a few
minutes and writes one JSON file with every figure and the device's name; it exits 1 if a check fails.

Checks (synthetic CIFAR-sized data, 3x32x32, 10 classes; torchvision `resnet18(num_classes=10)`):
* `fp16`: fastai `Learner.to_fp16()` (autocast and a real `GradScaler`), `ManifoldMixCallback` at a hidden block; the
  loss of every step equals the mixed loss computed by hand from the predictions, λ and the shift.
* `bf16`: the same under `Learner.to_bf16()`.
* `channels_last`: model and inputs in `torch.channels_last`; the mixed activation keeps the memory format and the
  loss equals the hand computation.
* `compile`: `torch.compile(model)` (inductor) with hidden mixing at two blocks: both mixed, no graph break, at most
  three graphs (one per point, one for validation); every step's prediction equals an eager forward of the same
  weights mixed by hand at the point the callback drew, and the loss equals the hand computation.
* `amr`: `amr_learner` (conv encoder/decoder/discriminator, CIFAR-sized) under `to_fp16()`: finite losses.
* `syncs`: `torch.cuda.set_sync_debug_mode('warn')` over 8 training steps of each method: the host-device
  synchronisations per step, against the plain `Learner`'s (AMR: against AE+GAN). `ManifoldMixCallback` and
  `AMRCallback` may add none; fastai's `MixUp` is reported, not checked.
Timing: ms per training step (`Learner.one_batch`, batch `--bs`) of plain, fastai `MixUp`, `ManifoldMixCallback`
input-only and hidden, eager and (plain / hidden at two blocks) compiled, and AE+GAN / AMR mixup k=2 at batch 64;
each method runs `--steps` steps between two synchronisations, `--repeats` times in turn; the median is reported with
the ratio to plain (AMR: to AE+GAN).
Host time: a 16-wide MLP at batch 32 (compute negligible), the six classifier methods interleaved step by step for
`--host-rounds` rounds: each method's median step and the median of its step minus plain's (compiled: minus compiled
plain's) in the same round, in microseconds.
"""
import argparse, json, random, statistics, sys, time, warnings, platform

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', default='gpu_check.json'); p.add_argument('--device', default=None)
    p.add_argument('--steps', type=int, default=30); p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--bs', type=int, default=256); p.add_argument('--quick', action='store_true')
    p.add_argument('--host-rounds', type=int, default=300)
    args = p.parse_args()
    import torch
    if args.device is None:
        if not torch.cuda.is_available():
            print('gpu_check: no CUDA device here; nothing to check (run it on a machine with a GPU)'); return 0
        args.device = 'cuda'
    if args.quick: args.steps, args.repeats, args.bs, args.host_rounds = 2, 1, 16, 5
    return run(args)

def run(args):
    import torch, torchvision, fastai
    from torch import nn
    import torch.nn.functional as F
    from torch._dynamo.utils import counters
    from fastai.callback.core import Callback
    from fastai.callback.mixup import MixUp
    from fastai.callback.progress import ProgressCallback
    from fastai.callback.fp16 import MixedPrecision
    from fastcore.basics import noop
    from mixup_nb.data import tensor_dls
    from mixup_nb.test_utils import quiet_learner, start
    from mixup_nb.manifold import ManifoldMixCallback, root_model
    from mixup_nb.mixing import partner, mix_partner
    from mixup_nb.amr import amr_learner, ConvEncoder, ConvDecoder, Discriminator
    warnings.filterwarnings('ignore')
    dev = torch.device(args.device); cuda = dev.type == 'cuda'
    t_start, res = time.time(), dict(device=torch.cuda.get_device_name(dev) if cuda else platform.processor() or 'cpu',
                                     torch=torch.__version__, fastai=fastai.__version__, bs=args.bs, checks={}, ms_per_step={})
    backend = 'eager' if args.quick and not cuda else 'inductor'      # a CPU test of the script need not wait for inductor
    def sync():
        if cuda: torch.cuda.synchronize(dev)

    def data(n, bs, seed=0):
        g = torch.Generator().manual_seed(seed)
        x, y = torch.randn(n, 3, 32, 32, generator=g), torch.randint(0, 10, (n,), generator=g)
        return tensor_dls(x[:n*3//4], y[:n*3//4], x[n*3//4:], y[n*3//4:], bs=bs, device=dev)

    learner = lambda model, dls, cbs=None: quiet_learner(model, dls, cbs)

    class HandLoss(Callback):
        "After `ManifoldMixCallback`'s `after_loss`: the loss against λ·CE(p, y) + (1-λ)·CE(p, y_partner), by hand."
        order = 7
        def __init__(self, mm): self.mm, self.err, self.n = mm, [], 0
        def after_loss(self):
            if not self.training or self.mm._y2 is None: return
            p, y, lam = self.pred.float(), self.yb[0], self.mm.lam.float()
            ce = lambda t: F.cross_entropy(p, t, reduction='none')
            hand = (lam*ce(y) + (1-lam)*ce(partner(y, self.mm._shift))).mean()
            self.err.append((self.loss_grad.float() - hand).abs() / hand.abs()); self.n += 1
        def after_step(self):
            if getattr(self.learn, 'scaler', None) is not None: self.scale = self.learn.scaler.get_scale()   # fp16 only
        def worst(self): return float(torch.stack(self.err).max()) if self.err else float('nan')

    def check(name, ok, **figs):
        "Record check `name`: passed (`ok` true), failed, or skipped (`ok` None)."
        res['checks'][name] = dict(ok=None if ok is None else bool(ok), **figs)
        print(f"[{time.time()-t_start:.0f} s] {name}: {'skipped' if ok is None else 'ok' if ok else 'FAILED'} {figs}", flush=True)
    def attempt(name, f):
        "Run check `f`; an exception fails check `name` (with its message) instead of ending the script."
        try: f()
        except Exception as e: check(name, False, error=f'{type(e).__name__}: {str(e)[:800]}')

    # fp16 and bf16 (fastai's MixedPrecision), channels_last
    def amp(name, setup):
        if not cuda: return check(name, None, skipped='fastai MixedPrecision needs CUDA')
        torch.manual_seed(0)
        mm = ManifoldMixCallback(modules=['layer2', 'layer3'], input_mix=False); hl = HandLoss(mm)
        learn = setup(learner(torchvision.models.resnet18(num_classes=10), data(8*args.bs, args.bs), [mm, hl]))
        learn.fit(2, 1e-3)
        losses = torch.stack(learn.recorder.losses).float()
        scale_ok = name != 'fp16' or (getattr(hl, 'scale', 0) >= 1 and len(learn.recorder.losses) == 2*len(learn.dls.train))
        check(name, hl.n > 0 and hl.worst() < 1e-5 and bool(torch.isfinite(losses).all()) and scale_ok, steps_checked=hl.n,
              max_rel_err=hl.worst(), mixed_at=sorted(mm.counts), final_loss=float(losses[-1]),
              grad_scale=getattr(hl, 'scale', None))
    attempt('fp16', lambda: amp('fp16', lambda l: l.to_fp16()))
    attempt('bf16', lambda: amp('bf16', lambda l: l.to_bf16()))

    class ChannelsLast(Callback):
        order = 1
        def before_batch(self): self.learn.xb = tuple(x.contiguous(memory_format=torch.channels_last) for x in self.xb)
    def channels_last():
        torch.manual_seed(0)
        model = torchvision.models.resnet18(num_classes=10).to(memory_format=torch.channels_last)
        mm = ManifoldMixCallback(modules=['layer1', 'layer2'], input_mix=False, commute=False); hl = HandLoss(mm)
        fmt = []
        for n in ('layer2', 'layer3'):                     # what the next block receives: the (mixed) activation
            getattr(model, n).register_forward_pre_hook(lambda m, a: fmt.append(a[0].is_contiguous(memory_format=torch.channels_last)))
        learn = learner(model, data(8*args.bs, args.bs), [mm, hl, ChannelsLast()]); learn.fit(1, 1e-3)
        check('channels_last', hl.n > 0 and hl.worst() < 1e-5 and all(fmt), steps_checked=hl.n, max_rel_err=hl.worst(),
              channels_last_activations=f'{sum(fmt)}/{len(fmt)}')
    attempt('channels_last', channels_last)

    # compile
    class EagerTwin(Callback):
        "The compiled prediction against the eager forward of the same weights, mixed by hand where the callback mixed."
        order = 7
        def __init__(self, mm): self.mm, self.err = mm, []
        def after_pred(self):
            mm = self.mm
            if not self.training or mm.mixed_at is None: return
            root, st = root_model(self.learn.model), mm._st      # `_orig_mod`: its own call is eager
            h = root.get_submodule(mm.mixed_at).register_forward_hook(lambda m, i, o: mix_partner(o, mm.lam, mm._shift))
            on, st.on = st.on, False                             # the callback's own hooks off: mixed by hand only
            try:
                with torch.no_grad(): ref = root(*self.xb)
            finally: h.remove(); st.on = on
            self.err.append(float((ref.float() - self.pred.detach().float()).abs().max() / ref.float().abs().max()))
    def compiled():
        torch.manual_seed(0); counters.clear()
        mm = ManifoldMixCallback(modules=['layer1', 'layer3'], input_mix=False); hl, tw = HandLoss(mm), EagerTwin(mm)
        learn = learner(torch.compile(torchvision.models.resnet18(num_classes=10), backend=backend), data(16*args.bs, args.bs), [mm, hl, tw])
        learn.fit(1, 1e-3)
        graphs, breaks = counters['stats']['unique_graphs'], sum(counters['graph_break'].values())
        check('compile', hl.n > 0 and hl.worst() < 1e-4 and len(tw.err) == hl.n and max(tw.err) < 1e-2 and breaks == 0
              and graphs <= 3 and set(mm.counts) == {'layer1', 'layer3'}, steps_checked=hl.n, max_rel_err=hl.worst(),
              pred_vs_eager_max_rel=max(tw.err) if tw.err else None, graphs=graphs, graph_breaks=breaks, mixed_at=sorted(mm.counts))
    attempt('compile', compiled)

    # AMR under fp16
    def amr(mixer, bs):
        torch.manual_seed(0)
        learn = amr_learner(data(8*bs, bs), ConvEncoder(32, 3), ConvDecoder(32, 3), Discriminator(32, 3), mixer=mixer)
        learn.remove_cb(ProgressCallback); learn.logger = noop
        return learn
    def amr_fp16():
        learn = amr('mixup', 64)
        if cuda: learn = learn.to_fp16()
        learn.fit(1)
        losses = torch.stack(learn.recorder.losses).float()
        check('amr', bool(torch.isfinite(losses).all()), steps=len(losses), final_loss=float(losses[-1]), fp16=cuda)
    attempt('amr', amr_fp16)

    # host-device syncs per step, and speed
    def speed():
        stepper = lambda learn: start(learn, n_iter=10**9)      # ready for `one_batch` on pre-made batches (no data loading)
        def batches(bs, n=4):
            g = torch.Generator().manual_seed(1)
            return [(torch.randn(bs, 3, 32, 32, generator=g).to(dev), torch.randint(0, 10, (bs,), generator=g).to(dev)) for _ in range(n)]
        def clf(cb, compiled=False):
            torch.manual_seed(0); m = torchvision.models.resnet18(num_classes=10)
            return stepper(learner(torch.compile(m, backend=backend) if compiled else m, data(4*args.bs, args.bs), cb))
        methods = {'plain': lambda: clf(None), 'fastai MixUp': lambda: clf(MixUp()),
                   'MM input-only': lambda: clf(ManifoldMixCallback(modules=[])),
                   'MM hidden': lambda: clf(ManifoldMixCallback(input_mix=False)),
                   'compiled plain': lambda: clf(None, True),
                   'compiled MM hidden (layer1, layer3)': lambda: clf(ManifoldMixCallback(modules=['layer1', 'layer3'], input_mix=False), True),
                   'AE+GAN': lambda: stepper(amr(None, 64)), 'AMR mixup k=2': lambda: stepper(amr('mixup', 64))}
        learners = {k: f() for k, f in methods.items()}
        AMR = ('AE+GAN', 'AMR mixup k=2')
        bts = {k: batches(64 if k in AMR else args.bs) for k in learners}
        for k, l in learners.items():                      # warm-up: cuDNN autotuning, compilation of every point
            for i in range(12 if 'compiled' in k else 3): l.one_batch(i, bts[k][i % 4])
        sync()
        if cuda:
            syncs = {}
            for k, l in learners.items():
                with warnings.catch_warnings(record=True) as w:
                    warnings.simplefilter('always'); torch.cuda.set_sync_debug_mode('warn')
                    try:
                        for i in range(8): l.one_batch(i, bts[k][i % 4])
                    finally: torch.cuda.set_sync_debug_mode('default')
                syncs[k] = sum('synchroniz' in str(x.message) for x in w) / 8
            res['syncs_per_step'] = syncs
            ours = [k for k in syncs if k.startswith(('MM', 'compiled MM', 'AMR'))]     # fastai's MixUp is not ours to check
            extra = {k: syncs[k] - syncs['AE+GAN' if k in AMR else 'compiled plain' if k.startswith('compiled') else 'plain'] for k in ours}
            check('syncs', all(v <= 0 for v in extra.values()), syncs_per_step=syncs, added_by_mixup_nb=extra)
        times = {k: [] for k in learners}
        for r in range(args.repeats):
            for k, l in learners.items():
                sync(); t = time.perf_counter()
                for i in range(args.steps): l.one_batch(i, bts[k][i % 4])
                sync(); times[k].append((time.perf_counter() - t) / args.steps * 1e3)
        med = {k: statistics.median(v) for k, v in times.items()}
        ref = lambda k: med['AE+GAN'] if k in AMR else med['compiled plain'] if k.startswith('compiled') else med['plain']
        res['ms_per_step'] = {k: dict(ms=round(v, 3), ratio=round(v/ref(k), 3), runs=[round(t, 3) for t in times[k]]) for k, v in med.items()}
        for k, v in res['ms_per_step'].items(): print(f"{k}: {v['ms']:.2f} ms/step, ratio {v['ratio']:.3f}", flush=True)
    attempt('speed', speed)

    # host time per step on a model whose compute is negligible (what a launch-bound step pays)
    def host():
        tiny = lambda: nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 10))
        def tl(cb, compiled=False):
            torch.manual_seed(0); m = tiny(); x, y = torch.randn(64, 16), torch.randint(0, 10, (64,))
            return start(learner(torch.compile(m, backend=backend) if compiled else m, tensor_dls(x, y, x, y, bs=32, device=dev), cb), n_iter=10**9)
        methods = {'plain': lambda: tl(None), 'fastai MixUp': lambda: tl(MixUp()), 'MM input-only': lambda: tl(ManifoldMixCallback(modules=[])),
                   'MM hidden': lambda: tl(ManifoldMixCallback(input_mix=False)), 'compiled plain': lambda: tl(None, True),
                   'compiled MM hidden': lambda: tl(ManifoldMixCallback(input_mix=False), True)}
        learners = {k: f() for k, f in methods.items()}
        g = torch.Generator().manual_seed(2)
        bts = [(torch.randn(32, 16, generator=g).to(dev), torch.randint(0, 10, (32,), generator=g).to(dev)) for _ in range(4)]
        for k, l in learners.items():
            for i in range(16 if 'compiled' in k else 3): l.one_batch(i, bts[i % 4])
        sync()
        t, order = {k: [] for k in learners}, list(learners)
        for r in range(args.host_rounds):
            random.Random(r).shuffle(order)
            for k in order:
                t0 = time.perf_counter(); learners[k].one_batch(r, bts[r % 4]); t[k].append(time.perf_counter() - t0)
            sync()
        ref = lambda k: t['compiled plain' if k.startswith('compiled') else 'plain']
        res['host_us_per_step'] = {k: dict(us=round(1e6*statistics.median(v), 1), added_us=round(1e6*statistics.median(a - b for a, b in zip(v, ref(k))), 1))
                                   for k, v in t.items()}
        for k, v in res['host_us_per_step'].items(): print(f"host, tiny MLP: {k}: {v['us']:.0f} us/step, added {v['added_us']:+.0f} us", flush=True)
    attempt('host', host)
    res['wall_s'] = round(time.time() - t_start, 1)
    with open(args.out, 'w') as f: json.dump(res, f, indent=1)
    ok = all(c['ok'] is not False for c in res['checks'].values()) and bool(res['ms_per_step'])   # and the speed was measured
    skipped = [k for k, c in res['checks'].items() if c['ok'] is None]
    print(f"gpu_check: {'all checks passed' if ok else 'FAILED'}{f' ({len(skipped)} skipped: ' + ', '.join(skipped) + ')' if skipped else ''} "
          f"on {res['device']} in {res['wall_s']} s; wrote {args.out}")
    return 0 if ok else 1

if __name__ == '__main__': sys.exit(main())
