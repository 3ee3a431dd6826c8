# The paper's CIFAR ResNet-20 (option A) in PyTorch, and a safetensors reader; used by resnet20-kink-alternatives.py
import torch, torch.nn as nn, torch.nn.functional as F, json, struct, numpy as np, sys
def load(p):
    b=open(p,'rb').read(); n=struct.unpack('<Q',b[:8])[0]; h=json.loads(b[8:8+n]); d=b[8+n:]; out={}
    for k,v in h.items():
        if k=='__metadata__': continue
        s,e=v['data_offsets']; dt={'F32':np.float32,'I64':np.int64}[v['dtype']]
        out[k]=torch.from_numpy(np.frombuffer(d[s:e],dtype=dt).reshape(v['shape']).copy())
    return out
class Block(nn.Module):
    def __init__(s, i, o, st):
        super().__init__(); s.conv1=nn.Conv2d(i,o,3,st,1,bias=False); s.bn1=nn.BatchNorm2d(o); s.conv2=nn.Conv2d(o,o,3,1,1,bias=False); s.bn2=nn.BatchNorm2d(o); s.st=st; s.i=i; s.o=o
    def forward(s,x):
        h=F.relu(s.bn1(s.conv1(x))); h=s.bn2(s.conv2(h))
        sc=x
        if s.st!=1 or s.i!=s.o:
            sc=x[:,:,::s.st,::s.st]; sc=F.pad(sc,(0,0,0,0,0,s.o-s.i))
        return F.relu(h+sc)
class Net(nn.Module):
    def __init__(s):
        super().__init__(); s.conv1=nn.Conv2d(3,16,3,1,1,bias=False); s.bn1=nn.BatchNorm2d(16)
        i=16
        for st,(w,stride) in enumerate([(16,1),(32,2),(64,2)]):
            blocks=[]
            for b in range(3):
                blocks.append(Block(i,w,stride if b==0 else 1)); i=w
            setattr(s,'layer%d'%(st+1),nn.Sequential(*blocks))
        s.fc=nn.Linear(64,10)
    def forward(s,x):
        x=F.relu(s.bn1(s.conv1(x))); x=s.layer3(s.layer2(s.layer1(x)))
        return s.fc(torch.flatten(F.adaptive_avg_pool2d(x,1),1))
