# Provenance of resnet20-kink-alternatives.safetensors (run with /usr/bin/python3, torch 1.13):
#   python3 resnet20-kink-alternatives.py OUT.safetensors /path/to/shared/fixtures/cifar-resnet20-sgd/
# See docs/training-graphs.md, 'The oracle and float32 ReLU decisions'.
import torch, torch.nn as nn, torch.nn.functional as F, json, struct, numpy as np
exec(open('resnet20_reference.py').read())  # load(), Block, Net
import sys
F0=sys.argv[2] if len(sys.argv)>2 else '../shared/fixtures/cifar-resnet20-sgd/'
init=load(F0+'initial.safetensors'); s1=load(F0+'step1.safetensors'); s2=load(F0+'step2.safetensors')
LR,MU,WD=0.1,0.9,1e-4
def run(start, batch, flip_module, flip_index, on_block_pre):
    m=Net(); sd=m.state_dict(); m.load_state_dict({k:(start[k] if k in start else sd[k]) for k in sd}); m=m.double(); m.train()
    mod=dict(m.named_modules())[flip_module]
    if on_block_pre:
        orig=mod.forward
        def fwd(x, s=mod):
            h=F.relu(s.bn1(s.conv1(x))); h=s.bn2(s.conv2(h)); sc=x
            if s.st!=1 or s.i!=s.o: sc=F.pad(x[:,:,::s.st,::s.st],(0,0,0,0,0,s.o-s.i))
            pre=h+sc; assert abs(pre[flip_index].item())<2e-6; pre=pre.clone(); pre[flip_index]=-pre[flip_index]
            return F.relu(pre)
        mod.forward=fwd
    else:
        def hook(md,i,o):
            assert abs(o[flip_index].item())<2e-6; o=o.clone(); o[flip_index]=-o[flip_index]; return o
        mod.register_forward_hook(hook)
    loss=F.cross_entropy(m(batch['input'].double()), batch['labels']); loss.backward()
    return m, float(loss)
out={}
def sgd(tag, m, start, momentum_prev, fixture):
    for n,p in m.named_parameters():
        g=p.grad.detach(); w=start[n].double(); d=g+WD*w
        v=d if momentum_prev is None else MU*momentum_prev[n]+d
        after=w-LR*v
        for kind,val in (('grad',g),('after',after)):
            ref=fixture[kind+'.'+n].double(); rel=((val-ref).abs().max()/ref.abs().max()).item()
            if rel>1e-5: out['%s.%s.%s'%(tag,kind,n)]=val.float().contiguous()
m1,l1=run(init, s1, 'layer2.2', (0,19,0,1), True); sgd('step1', m1, init, None, s1)
start2={k[6:]:v for k,v in s1.items() if k.startswith('after.')}
v1={n:s1['grad.'+n].double()+WD*init[n].double() for n in start2 if ('grad.'+n) in s1}
m2,l2=run(start2, s2, 'layer3.0.bn1', (7,25,6,3), False); sgd('step2', m2, start2, v1, s2)
print(l1,l2,len(out), sum(t.numel() for t in out.values()))
# safetensors writer
hdr={}; off=0; blobs=[]
for k in sorted(out):
    b=out[k].numpy().astype('<f4').tobytes(); hdr[k]={'dtype':'F32','shape':list(out[k].shape),'data_offsets':[off,off+len(b)]}; off+=len(b); blobs.append(b)
hdr['__metadata__']={'provenance':'PyTorch 1.13.1 float64 ResNet-20 SGD steps of ../shared/fixtures/cifar-resnet20-sgd with the one float32-ambiguous ReLU decided the other way (step1: layer2.2 output [0,19,0,1]; step2: layer3.0.bn1 output [7,25,6,3]); only tensors that differ from the fixture by > 1e-5 relative'}
h=json.dumps(hdr).encode(); h+=b' '*((8-len(h)%8)%8)
import sys; f=open(sys.argv[1],'wb'); f.write(struct.pack('<Q',len(h))); f.write(h); [f.write(b) for b in blobs]; f.close()
