//! Backups (issue 17 item 4): what a backup archive must hold and how a copy is judged against
//! its manifest ([`manifest`]), and when the server's daily backup is due and which old ones it
//! deletes ([`schedule`]). The archive's reading and writing, and the database copies, are the
//! store's and app's; every decision about them is here, without IO.

pub mod manifest;
pub mod schedule;
