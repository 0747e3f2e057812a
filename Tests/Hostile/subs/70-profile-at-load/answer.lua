-- Chooses the lab's hypervisor profile before the lab builds its world (Xen populates
-- every page at creation, so "the host is untouched" would fail).
lab.profile("xen")
return { value = 42, f = function() return 42 end }
