#!/usr/bin/env python
"""The generalisation experiment on one CUDA GPU: the CIFAR-10 subset at the paper's width, seeds 0, 1 and 2.

Usage: python bench/gpu_generalization.py [--data DIR] [--out report_gpu] [--epochs 15] [--width 64] [--seeds 0,1,2]
       python bench/gpu_generalization.py --device cpu --quick      (a toy size, to test this script on a CPU)

It runs `mixup_nb.experiments.generalization_section` (no mixing, fastai `MixUp`, `ManifoldMixCallback` at the paper's
points and at its automatic points; PreActResNet-18, SGD momentum 0.9, lr 0.1, L2 weight decay 1e-4, crop-and-flip) on
the 4,000 training and 1,000 test images of the CIFAR-10 subset (`--data`, else `MIXUP_NB_DATA` or `../shared/data`),
and writes `report.md` with its reliability diagram, as `mixup_nb reproduce` does. The default size (width 64,
15 epochs of one-cycle, 12 trainings) is meant to finish in under 5 minutes on one H100; `mixup_nb reproduce --only
generalization --data DIR --full --device cuda` runs the paper-like length (200 epochs). Without CUDA (and without
`--device`), it says so in one line and exits 0.
"""
import argparse, sys, time

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', default=None); p.add_argument('--out', default='report_gpu')
    p.add_argument('--epochs', type=int, default=15); p.add_argument('--width', type=int, default=64)
    p.add_argument('--seeds', default='0,1,2'); p.add_argument('--device', default=None)
    p.add_argument('--quick', action='store_true', help='width 2, one epoch on 200 images, one seed pair: tests the script')
    args = p.parse_args()
    import torch
    if args.device is None and not torch.cuda.is_available():
        print('gpu_generalization: no CUDA device; nothing to run (use --device cpu --quick to test the script)'); return 0
    from mixup_nb.data import find_data_dir
    from mixup_nb.experiments import Run, generalization_section
    from mixup_nb.reproduce import prepare_out, provenance, write_report, md_table, effects_table
    import matplotlib; matplotlib.use('Agg')
    device = args.device or 'cuda'
    seeds = tuple(int(s) for s in args.seeds.split(','))
    size = dict(width=2, epochs=1, n_train=200) if args.quick else dict(width=args.width, epochs=args.epochs, n_train=None)
    out = prepare_out(args.out)
    run = Run(out, seeds[:2] if args.quick else seeds, device=device, data=str(find_data_dir('cifar10', args.data)))
    t0 = time.time()
    sec = generalization_section(run, **size)
    sec['seconds'] = round(time.time() - t0)
    name = torch.cuda.get_device_name() if device == 'cuda' else device
    meta = {**provenance(run.data, False, run.seeds, torch.get_num_threads(), device),
            'command': ' '.join(['python bench/gpu_generalization.py', *sys.argv[1:]]), 'device name': name,
            'size': f"width {size['width']}, {size['epochs']} epochs" + (f", {size['n_train']} training images" if size['n_train'] else ''),
            'wall time': f"{time.time() - t0:.0f} s"}
    path = write_report(out, [sec], meta)
    print(md_table(sec['table']), '', effects_table([sec]), '', f"{name}: {sec['seconds']} s. Report: {path}", sep='\n')
    return 0

if __name__ == '__main__': sys.exit(main())
