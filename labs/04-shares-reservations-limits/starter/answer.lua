-- Lab 04: shares, reservations and limits. Fill in every answer, then, from the lab's
-- folder, run
--   hyperlab check . --submission <this folder>
-- Hosts in this lab run at 2 GHz per pCPU.
-- Units: a CPU speed is a number of MHz or a string such as "1.5 GHz" or "800 MHz"; a
-- percentage is a number from 0 to 100 or a string such as "40%"; a fraction is a
-- number from 0 to 1 or a string such as "25%".
local M = {}

-- 1. Two CPU-bound 1-vCPU VMs share one pCPU; they have a_shares and b_shares CPU
--    shares (numbers). Return the fraction (0 to 1) of the pCPU VM A gets.
function M.share(a_shares, b_shares)
  return 0.5
end

-- 2. The same two VMs, High and Low shares, on a host with 2 pCPUs: %RUN of the Low VM.
M.low_share_run_without_contention = nil

-- 3. Admission control: a host has `capacity` MHz; powered-on VMs reserve `reserved`
--    MHz. Does a VM with a reservation of `request` MHz power on? Return true or false.
function M.admits(capacity, reserved, request)
  return true
end

-- 4. A 10 GHz host (5 pCPUs at 2 GHz): VM A reserves 6 GHz but is idle; VM B (4 vCPUs,
--    all busy) reserves 4 GHz. How much CPU (a speed) does B use?
M.busy_mhz_while_reserver_idle = nil

-- 5. A busy 1-vCPU VM with a CPU limit of 500 MHz runs alone on a 2 GHz pCPU.
M.limited_run = nil    -- its %RUN (a percentage)
M.limited_mlmtd = nil  -- its %MLMTD (a percentage)

-- 6. Choose CPU allocation settings (a table such as { shares = "high" }, with keys
--    shares, reservation, limit; speeds as in "1 GHz") for two 2-vCPU VMs:
--    - web must be guaranteed at least 1.5 GHz however many busy VMs compete with it
--      (the public check puts three busy 2-vCPU VMs next to it on a 2-pCPU host);
--    - batch must never use more than 1 GHz, even alone on an idle host of any size.
M.web_cpu = {}
M.batch_cpu = {}

return M
