import SrochnoJobs

// srochno-reconcile [--hours N] [--star-pages N]: one run asks Crypto Pay and the Bot API about
// the top-ups pending in the last N hours, credits what a lost webhook missed (once), prints one
// summary line and exits 0; exit 1 when a provider failed, after crediting what the other
// reported (see JobRunner for the other failures and exit codes). Run by a systemd timer.
JobRunner.main(PaymentReconciler.self)
