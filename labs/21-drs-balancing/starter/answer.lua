-- Lab 21: DRS balancing. Fill in every answer; then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
-- Loads are fractions of a host's capacity (0.8 = 80 %); the metric and targets are
-- standard deviations of such loads: a fraction such as 0.3 (answers 1 and 5 also take
-- "30%"). Priorities are whole numbers 1–5. Your functions (6, 7) must compute their
-- answer from their arguments, not build a cluster of their own to measure it.
local M = {}

-- 1. Two 10 GHz hosts: VMs demanding 3, 2.75 and 2.25 GHz on esx1, 2 GHz on esx2 (no
--    contention, so each VM is entitled to what it demands). Three 10 GHz hosts at 5.5, 5
--    and 4.5 GHz. The load-imbalance metric DRS computes for each cluster:
M.lim_two_hosts = nil
M.lim_three_hosts = nil

-- 2. The priority DRS gives the migration it recommends for the two-host cluster, with
--    the formula read as A, 6 − ceil((LIM / 0.1) · √N), and as B, 6 − ceil(LIM / (0.1 · √N));
--    and for the three-host cluster (reading A).
M.priority_reading_a = nil
M.priority_reading_b = nil
M.priority_three_hosts = nil

-- 3. The migration thresholds (1 conservative … 5 aggressive; reading A) at which DRS's
--    first pass moves a VM: a list such as { 4, 5 }, or {} for none.
M.thresholds_two_hosts = nil
M.thresholds_three_hosts = nil

-- 4. The two-host cluster at the default threshold 3 with each automation level: how many
--    vMotions DRS's first pass starts, how many recommendations it leaves, and the state
--    ("on" or "off") of a new VM right after vm:power_on() in that cluster.
M.vmotions_manual, M.recommendations_manual, M.state_after_power_on_manual = nil, nil, nil
M.vmotions_partially, M.recommendations_partially, M.state_after_power_on_partially = nil, nil, nil
M.vmotions_fully, M.recommendations_fully, M.state_after_power_on_fully = nil, nil, nil

-- 5. The two-host cluster, fully automated, with the 3 GHz VM "big" set to Disabled
--    (vm.drs_automation = "disabled"): the metric, and the name of the VM DRS moves
--    ("big", "a2", "a3" or "b1").
M.lim_with_big_disabled = nil
M.moved_with_big_disabled = nil

-- 6. Your own priority: `loads` is a list of host loads (fractions, one per host), `reading`
--    "A" or "B". Return the priority DRS gives a load-balancing recommendation (2–5), or nil
--    when the cluster is balanced and nothing is recommended.
function M.priority(loads, reading)
  return 5
end

-- 7. Your own target imbalance: the largest metric a threshold (1–5) tolerates on a cluster
--    of `hosts` hosts, with the formula read as `reading` ("A" or "B"). math.huge when no
--    imbalance is large enough.
function M.target_imbalance(threshold, hosts, reading)
  return 0
end

return M
