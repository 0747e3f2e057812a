-- Lab 28: containers against VMs and microVMs — reference solution.
local M = {}
local MiB, GiB = 2^20, 2^30

-- Containers start together (no queue), each start_time (0.5 s) after it is asked for.
-- MicroVMs take the host's creation queue: rate 5 per core per second, then the VMM
-- starts (12 ms) and the guest reaches /sbin/init (125 ms). VMs all power on at once and
-- serve when their guest has booted (30 s).
function M.ready_time(kind, n, cores)
  if kind == "container" then return 0.5 end
  if kind == "microvm" then return (n - 1) / (5 * cores) + 0.012 + 0.125 end
  return 30
end

-- Container: its working set in its cgroup + 20 MiB the kernel keeps per container.
-- MicroVM: all its guest memory + 5 MiB of VMM. VM (1 vCPU): all its guest memory +
-- overhead 18.4 MiB + 7.6 MiB per GiB configured.
function M.per_instance(kind, size)
  size = type(size) == "number" and size or lab.size_of(size)
  if kind == "container" then return size + 20 * MiB end
  if kind == "microvm" then return size + 5 * MiB end
  return size + (18.4 + 7.6 * size / GiB) * MiB
end

function M.density(kind, size, memory)
  memory = type(memory) == "number" and memory or lab.size_of(memory)
  return math.floor(memory / M.per_instance(kind, size))
end

M.ready_container = M.ready_time("container", 100, 8)
M.ready_microvm = M.ready_time("microvm", 100, 8)
M.ready_vm = "30 s"

M.cost_container = "84 MiB"
M.cost_microvm = "133 MiB"
M.cost_vm = M.per_instance("vm", GiB)

M.fit_container = M.density("container", 64 * MiB, 16 * GiB)
M.fit_microvm = M.density("microvm", 128 * MiB, 16 * GiB)
M.fit_vm = M.density("vm", GiB, 16 * GiB)

-- One kernel under all the containers; each microVM has its own guest kernel.
M.panic_stops = 100
M.crash_stops = 1

return M
