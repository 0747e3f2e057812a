-- Creates the host the lab creates next, so the lab's own lab.host{} would fail.
lab.host{ name = "esx01", cpus = 1, memory = "1 GiB" }
lab.datastore{ name = "esx01-local", capacity = "1 GiB" }
return { value = 42, f = function() return 42 end }
