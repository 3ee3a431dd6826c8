import sys, torch, torchvision
from torchvision.models import resnet
name = sys.argv[1]
m = getattr(resnet, name)()
x = torch.zeros(1,3,224,224)
shapes = {}
def hook(mod, i, o, n=None): pass
for n, mod in m.named_modules():
    if isinstance(mod, (torch.nn.Conv2d, torch.nn.BatchNorm2d, torch.nn.Linear)):
        mod.register_forward_hook(lambda mod, i, o, n=n: shapes.__setitem__(n, tuple(o.shape[1:]) if o.dim()==4 else (o.shape[1],1,1)))
m.eval(); m(x)
for n, mod in m.named_modules():
    if isinstance(mod, (torch.nn.Conv2d, torch.nn.BatchNorm2d, torch.nn.Linear)):
        p = sum(t.numel() for t in mod.parameters())
        print(n, p, "x".join(map(str, shapes[n])))
