-- Lab 06: a CPU scheduling policy. Improve `pick`, then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
--
-- Every quantum (50 ms) the host calls pick(view) with:
--   view.pcpus      pCPUs to give out
--   view.now, view.quantum   simulated time and the quantum, in seconds
--   view.runnable   the vCPUs that have work, each { id, vm, vcpu, vcpus, shares,
--                   run, ready, waiting }: shares are the VM's CPU shares per vCPU
--                   (Normal = 1000); run and ready are seconds since the VM powered
--                   on, waiting is seconds since the vCPU last ran
-- and expects a list of ids of the vCPUs to run this quantum (at most view.pcpus, no id
-- twice). A wrong answer stops the run with an error, so check what you return.
-- The quantum may be given as a duration string ("50 ms") or a number of seconds.
local M = {}

M.scheduler = lab.scheduler{
  name = "first-come",
  quantum = "50 ms",
  pick = function(view)
    -- always the first vCPUs in the list: simple, but some VMs never run
    local chosen = {}
    for i = 1, math.min(view.pcpus, #view.runnable) do
      chosen[i] = view.runnable[i].id
    end
    return chosen
  end,
}

return M
