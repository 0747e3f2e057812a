-- Lab 28: containers against VMs and microVMs. Fill in every answer, then, from the lab's
-- folder, run
--   hyperlab check . --submission <this folder>
-- Units: times as seconds (a number) or a string such as "2.5 s" or "120 ms"; sizes as
-- bytes (a number) or a string such as "84 MiB"; counts as whole numbers.
-- Your functions must compute their answers from their arguments (no machine of their own).
-- `kind` is "container", "microvm" or "vm" (a full VM); every VM and microVM has 1 vCPU.
local M = {}

-- 1. `n` instances of the service are asked for at the same moment on one machine with
--    `cores` cores (the containers' image is already on the node). Return the seconds
--    until the last of them serves: a container running, a microVM's guest at /sbin/init,
--    a VM's guest booted. Defaults everywhere (docs/containers.md, docs/api.md).
function M.ready_time(kind, n, cores)
  return 1
end

-- 2. The machine memory one instance needs so that nothing is over-committed. `size` is
--    the service's resident memory in a container (the image's working set), or the
--    guest memory of a microVM or VM. Return bytes (or a size string).
function M.per_instance(kind, size)
  return size
end

-- 3. How many whole instances of that size fit in a machine of `memory` bytes: containers
--    on a Linux node without swap, microVMs and VMs with all their memory reserved.
function M.density(kind, size, memory)
  return memory // size
end

-- The public scenario: a machine of 8 cores and 16 GiB; 100 instances of a service that
-- keeps 64 MiB resident in a container, in a 128 MiB microVM, or in a 1 GiB VM.
-- Numbers (or strings with units):
M.ready_container = nil   -- seconds until all 100 containers run
M.ready_microvm = nil     -- seconds until all 100 microVMs reach /sbin/init
M.ready_vm = nil          -- seconds until all 100 VMs have booted

M.cost_container = nil    -- memory per instance (question 2), each kind
M.cost_microvm = nil
M.cost_vm = nil

M.fit_container = nil     -- how many fit in 16 GiB (question 3), each kind
M.fit_microvm = nil
M.fit_vm = nil

-- 4. Isolation: with the 100 containers on their node and the 100 microVMs on their host,
--    the node's kernel panics and one microVM crashes. How many containers stop serving,
--    and how many microVMs?
M.panic_stops = nil
M.crash_stops = nil

return M
