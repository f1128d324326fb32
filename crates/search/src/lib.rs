//! Search and matching. The index of job posts and projects arrives with the job platform (issue 4).
