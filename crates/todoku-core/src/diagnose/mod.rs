//! Judgement: the findings from the headers (`findings`) and from the live
//! checks (`live`), the headline verdict and the mailbox providers' checklists.

pub mod checklist;
pub mod findings;
pub mod fixes;
pub mod live;
pub(crate) mod providers;
pub mod verdict;
