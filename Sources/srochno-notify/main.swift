import SrochnoNotifications

// srochno-notify [--once | --status]: sends executors their new-order notifications through the
// Bot API (SPEC §8.2). Without options it runs as a service (systemd/srochno-notify.service),
// woken by PostgreSQL NOTIFY; see NotifyCommand for the modes and exit codes.
NotifyCommand.main()
