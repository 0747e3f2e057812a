-- Lab 14: templates and clones. Fill in every answer, then run
--   hyperlab run labs/14-templates-clones --submission <this folder>
-- Sizes can be numbers of bytes or strings such as "1.5 GiB".
local M = {}

-- A web appliance (2 vCPUs, 4 GiB with 2 GiB reserved, high shares, a 40 GiB thin disk
-- holding 12 GiB) on a SAN datastore that writes 300 MB/s is turned into a template.

-- 1. Can the template be powered on (true/false)? Could a linked clone have been made
--    from the VM before it became a template?
M.template_powers_on = nil
M.linked_clone_of_a_plain_vm = nil

-- 2. Seconds to deploy one full clone:
M.full_clone_seconds = nil

-- 3. Disk space (all disks together) of ten full clones, and of ten linked clones:
M.ten_full_clones_space = nil
M.ten_linked_clones_space = nil

-- 4. Each linked clone rewrites 1 GiB of the data it shares with the template.
M.linked_space_after_writes = nil    -- the ten linked clones' disks
M.template_space_after_writes = nil  -- the template's disk

-- 5. A clone's memory reservation and vCPUs:
M.clone_reservation = nil
M.clone_vcpus = nil

return M
