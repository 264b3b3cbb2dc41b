import SrochnoJobs

// srochno-autoclose [--batch N]: one run settles every expired and unanswered order, pays the
// refunds, prints one summary line and exits 0 (see JobRunner for failures and exit codes).
// Run by systemd/srochno-autoclose.timer.
JobRunner.main(OrderCloser.self)
