-- Lab 05: Xen's credit scheduler. Fill in every answer, then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
-- Domains here have 1 vCPU and share 1 pCPU.
-- Units: a percentage is a number from 0 to 100 or a string such as "40%"; a fraction
-- is a number from 0 to 1 or a string such as "25%"; credits are whole numbers.
local M = {}

-- 1. Two CPU-bound domains with weights w1 and w2 (numbers): the fraction (0 to 1) of
--    the pCPU the first one gets.
function M.share(w1, w2)
  return 0.5
end

-- 2. A CPU-bound domain alone on the host with cap `cap` (a number, % of one pCPU;
--    0 = no cap): its %RUN (a percentage).
function M.capped_run(cap)
  return 100
end

-- 3. How many credits does a vCPU burn when it runs a whole 30 ms time slice? What is the
--    lowest credit a vCPU can reach? (whole numbers of credits)
M.credits_burned_per_slice = nil
M.credit_floor = nil

-- 4. A vCPU's priority, "UNDER" or "OVER", given its credit (a number).
function M.priority(credit)
  return "UNDER"
end

-- 5. An I/O-bound domain wakes once a second with 25 ms of work while another domain is
--    CPU-bound. The I/O domain's %RDY (a percentage):
M.io_domain_ready = nil

-- 6. Choose settings ({ weight = ..., cap = ... }) for two domains: gold must get at
--    least 75 % of the pCPU when both are busy; bronze must use at most 20 % even alone.
M.gold = {}
M.bronze = {}

return M
