//! The folder being worked through: its documents in name order with each one's title, status
//! and span count for the current coder, read on a background thread so that a folder of
//! thousands of articles opens at once (the navigator fills in as files are read); moving to
//! the next, previous or next-not-done document.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::thread::JoinHandle;

use super::team::{NavFilter, Team, shows};
use super::{App, AppError, Command};
use crate::model::{AnnotatedDocument, LabelSchema, Status};
use crate::review::team::{SetSummary, Stage, stage};
use crate::review::{Comparison, QueueEntry, default_pair_where};
use crate::store;
use crate::store::team::Manifest;

/// A folder of documents being coded, in name order.
pub struct Corpus {
    pub root: PathBuf,
    pub entries: Vec<CorpusEntry>,
    loader: Option<Loader>,
    /// Whether the navigator lists the documents as a review queue (most disagreement first).
    by_queue: bool,
    /// The entries' indices in the order the navigator lists them (kept in step with the
    /// entries, never sorted per frame).
    order: Vec<usize>,
    /// What the navigator lists.
    pub filter: NavFilter,
    /// Each entry's assigned coders, by the team's manifest (empty without one).
    assignees: Vec<Vec<String>>,
    /// Whether each entry is assigned to the coder.
    mine: Vec<bool>,
    /// Goes up whenever an entry or the order changes (what the team panel caches on).
    revision: u64,
}

impl Corpus {
    fn new(
        root: PathBuf,
        entries: Vec<CorpusEntry>,
        loader: Option<Loader>,
        by_queue: bool,
    ) -> Self {
        let mut corpus = Self {
            root,
            entries,
            loader,
            by_queue,
            order: Vec::new(),
            filter: NavFilter::All,
            assignees: Vec::new(),
            mine: Vec::new(),
            revision: 0,
        };
        corpus.sort();
        corpus
    }

    /// Takes the team's assignments for `coder` and lists the entries again.
    pub(super) fn arrange(&mut self, team: Option<&Team>, coder: &str) {
        self.assignees = self
            .entries
            .iter()
            .map(|e| team.map_or_else(Vec::new, |t| t.coders_of(&e.path).to_vec()))
            .collect();
        self.mine = self
            .assignees
            .iter()
            .map(|a| a.iter().any(|c| c == coder))
            .collect();
        self.sort();
    }

    /// The coders an entry is assigned to.
    pub fn assignees(&self, i: usize) -> &[String] {
        self.assignees.get(i).map_or(&[], Vec::as_slice)
    }

    /// Whether entry `i` is assigned to the coder.
    pub fn is_mine(&self, i: usize) -> bool {
        self.mine.get(i).copied().unwrap_or(false)
    }

    /// What comes next for entry `i` (coding, agreed, needs adjudication, adjudicated).
    pub fn stage(&self, i: usize) -> Stage {
        stage(self.assignees(i), &self.entries[i].sets)
    }

    /// Goes up whenever an entry or the order changes.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    fn keeps(&self, i: usize) -> bool {
        let e = &self.entries[i];
        match self.filter {
            NavFilter::All => true,
            NavFilter::Mine => self.is_mine(i),
            NavFilter::Done => e.status >= Status::Done,
            NavFilter::NeedsReview => {
                e.review.is_some_and(|r| r.undecided() > 0)
                    || self.stage(i) == Stage::NeedsAdjudication
            }
        }
    }

    /// The entries' indices in the navigator's order: name order, or as a review queue —
    /// documents with two sets to compare by lowest exact F1 first, the rest after them.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    pub fn by_queue(&self) -> bool {
        self.by_queue
    }

    fn sort(&mut self) {
        self.revision += 1;
        let mut order: Vec<usize> = (0..self.entries.len()).filter(|&i| self.keeps(i)).collect();
        if self.by_queue {
            let entries = &self.entries;
            order.sort_by(|&i, &j| match (&entries[i].review, &entries[j].review) {
                (Some(x), Some(y)) => x.cmp_queue(y).then(i.cmp(&j)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => i.cmp(&j),
            });
        }
        // The coder's own documents first, in that order.
        order.sort_by_key(|&i| !self.is_mine(i));
        self.order = order;
    }
}

/// One document of a corpus as the navigator shows it (for the current coder).
#[derive(Clone, Debug, PartialEq)]
pub struct CorpusEntry {
    pub path: PathBuf,
    pub title: String,
    pub status: Status,
    pub spans: usize,
    /// Why the document cannot be opened, if it cannot.
    pub error: Option<String>,
    /// False until the file has been read (the title is then the file's name).
    pub loaded: bool,
    /// Its review (the coder's set, or the first human set, against the first model set),
    /// when it has two sets to compare.
    pub review: Option<QueueEntry>,
    /// The ids of its coders' (human) sets.
    pub coders: Vec<String>,
    /// The coder's spans as (text, label): what the suggestions learn from.
    pub labelled: Vec<(String, String)>,
    /// Its human sets, as team progress needs them.
    pub sets: Vec<SetSummary>,
    /// Merge conflicts its sets record.
    pub conflicts: usize,
    /// The places, actors and dates it names (what finds it as a report of a corpus event).
    pub facts: crate::model::event_index::Facts,
}

impl CorpusEntry {
    /// The entry of a document that has not been read yet.
    fn unread(path: PathBuf) -> Self {
        Self {
            title: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path,
            status: Status::NotStarted,
            spans: 0,
            error: None,
            loaded: false,
            review: None,
            coders: Vec::new(),
            labelled: Vec::new(),
            sets: Vec::new(),
            conflicts: 0,
            facts: Default::default(),
        }
    }

    /// The entry of a document as `coder` sees it (under `team`'s blind coding, a review only
    /// of the sets they may see).
    pub fn of(path: &Path, doc: &AnnotatedDocument, coder: &str, team: Option<&Manifest>) -> Self {
        let set = doc.set(coder);
        Self {
            path: path.to_owned(),
            title: doc
                .document
                .meta
                .title
                .clone()
                .unwrap_or_else(|| doc.document.meta.id.clone()),
            status: set.map_or(Status::NotStarted, |s| s.status),
            spans: set.map_or(0, |s| s.spans.len()),
            labelled: set.map_or_else(Vec::new, |s| {
                s.spans
                    .iter()
                    .map(|x| (x.text.clone(), x.label.clone()))
                    .collect()
            }),
            error: None,
            loaded: true,
            review: default_pair_where(doc, coder, |id| {
                doc.set(id).is_some_and(|s| shows(team, doc, coder, s))
            })
            .map(|(a, b)| Comparison::new(doc, &a, &b, 0).queue_entry()),
            sets: doc.sets.iter().filter_map(SetSummary::of).collect(),
            conflicts: doc.sets.iter().map(|s| s.conflicts.len()).sum(),
            facts: crate::model::event_index::Facts::of("", doc),
            coders: doc
                .sets
                .iter()
                .filter(|s| matches!(s.source, crate::model::Source::Human { .. }))
                .filter(|s| s.id != crate::review::ADJUDICATED)
                .map(|s| s.id.clone())
                .collect(),
        }
    }

    /// Reads the document at `path` for `coder`; a file that cannot be read gets its error.
    fn read(path: PathBuf, schema: &LabelSchema, coder: &str, team: Option<&Manifest>) -> Self {
        match store::load(&path, schema) {
            Ok(doc) => Self::of(&path, &doc, coder, team),
            Err(e) => Self {
                error: Some(e.to_string()),
                loaded: true,
                ..Self::unread(path)
            },
        }
    }

    fn is_open_to_code(&self) -> bool {
        self.error.is_none() && matches!(self.status, Status::NotStarted | Status::InProgress)
    }
}

/// Entries being read on a background thread; dropping it stops the thread.
struct Loader {
    results: Receiver<(usize, CorpusEntry)>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
    total: usize,
    done: usize,
}

impl Loader {
    /// Reads the documents of `todo` (entry index, path) for `coder`.
    fn start(
        todo: Vec<(usize, PathBuf)>,
        schema: LabelSchema,
        coder: String,
        team: Option<Manifest>,
    ) -> Self {
        let (send, results) = channel();
        let stop = Arc::new(AtomicBool::new(false));
        let total = todo.len();
        let handle = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                for (i, path) in todo {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    if send
                        .send((i, CorpusEntry::read(path, &schema, &coder, team.as_ref())))
                        .is_err()
                    {
                        return;
                    }
                }
            })
        };
        Self {
            results,
            stop,
            handle: Some(handle),
            total,
            done: 0,
        }
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Corpus {
    /// Takes the entries read so far; true when one was the document at `open`.
    fn take_results(&mut self, open: Option<&Path>) -> bool {
        let Some(loader) = &mut self.loader else {
            return false;
        };
        // Finished before the results are taken: then every result is taken below.
        let finished = loader.handle.as_ref().is_none_or(|h| h.is_finished());
        let mut touched_open = false;
        let mut arrived = false;
        while let Ok((i, entry)) = loader.results.try_recv() {
            arrived = true;
            loader.done += 1;
            // An entry already known (the open document, refreshed from memory) is never
            // replaced by what was read from disk before it changed.
            if let Some(slot) = self.entries.get_mut(i)
                && slot.path == entry.path
                && !slot.loaded
            {
                touched_open |= Some(entry.path.as_path()) == open;
                *slot = entry;
            }
        }
        if finished || loader.done >= loader.total {
            self.loader = None;
        }
        // Only when something came: the order's revision is what the panels cache on.
        if arrived {
            self.sort();
        }
        touched_open
    }

    /// Documents read so far and in all, while the folder is being read.
    pub fn loading(&self) -> Option<(usize, usize)> {
        self.loader.as_ref().map(|l| (l.done, l.total))
    }
}

impl App {
    /// Where the open document is in the corpus.
    pub fn corpus_index(&self) -> Option<usize> {
        let (corpus, session) = (self.corpus.as_ref()?, self.session.as_ref()?);
        corpus.entries.iter().position(|e| e.path == session.path)
    }

    /// Lists a folder's documents for the navigator and opens the first one not done; the
    /// rest are read on a background thread.
    pub(super) fn open_folder(&mut self, root: &Path) -> Result<(), AppError> {
        let (paths, problems) = store::documents_in(root);
        if paths.is_empty() {
            return Err(AppError::EmptyFolder {
                root: root.to_owned(),
                problems,
            });
        }
        let project =
            store::project_schema(root)?.unwrap_or_else(|| LabelSchema::builtin().clone());
        let coder = self.settings.coder.clone();
        let team_error = self.find_team(root).err();
        let manifest = self.team.as_ref().map(|t| t.manifest.clone());
        let mut entries: Vec<CorpusEntry> = paths.into_iter().map(CorpusEntry::unread).collect();
        // Read in order up to the first document still to be coded: that one opens.
        let mut first = None;
        for entry in &mut entries {
            *entry = CorpusEntry::read(entry.path.clone(), &project, &coder, manifest.as_ref());
            let mine = self.team.as_ref().is_none_or(|t| {
                t.coders_of(&entry.path).contains(&coder) || t.coders_of(&entry.path).is_empty()
            });
            if entry.is_open_to_code() && mine {
                first = Some(entry.path.clone());
                break;
            }
        }
        let first = first.or_else(|| {
            entries
                .iter()
                .find(|e| e.loaded && e.error.is_none())
                .map(|e| e.path.clone())
        });
        let todo: Vec<(usize, PathBuf)> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.loaded)
            .map(|(i, e)| (i, e.path.clone()))
            .collect();
        let loader =
            (!todo.is_empty()).then(|| Loader::start(todo, project, coder.clone(), manifest));
        let by_queue = self.settings.navigator_by_queue;
        let mut corpus = Corpus::new(root.to_owned(), entries, loader, by_queue);
        corpus.arrange(self.team.as_ref(), &coder);
        self.corpus = Some(corpus);
        match first {
            Some(path) => self.open(&path)?,
            None => return Err(AppError::NothingOpenable(root.to_owned())),
        }
        self.load_corpus_events();
        team_error.map_or(Ok(()), Err)
    }

    /// Takes what the background reading of the folder found so far (every frame).
    pub fn poll_corpus(&mut self) {
        let open = self.session.as_ref().map(|s| s.path.clone());
        if let Some(corpus) = &mut self.corpus
            && corpus.take_results(open.as_deref())
        {
            // The open document is shown as it is in memory, not as it is on disk.
            self.refresh_entry();
            self.refresh_suggestions();
        }
    }

    /// Waits until every document of the folder has been read (tests, benchmarks).
    pub fn wait_for_corpus(&mut self) {
        if let Some(handle) = self
            .corpus
            .as_mut()
            .and_then(|c| c.loader.as_mut())
            .and_then(|l| l.handle.take())
        {
            let _ = handle.join();
        }
        self.poll_corpus();
        if let Some(corpus) = &mut self.corpus {
            corpus.loader = None;
        }
    }

    /// Re-reads every entry of the corpus (for another coder), in the background.
    pub(super) fn reload_entries(&mut self) {
        let coder = self.settings.coder.clone();
        let schema = self.schema.clone();
        if let Some(corpus) = &mut self.corpus {
            for e in &mut corpus.entries {
                e.loaded = false;
            }
            let todo = corpus
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (i, e.path.clone()))
                .collect();
            let manifest = self.team.as_ref().map(|t| t.manifest.clone());
            corpus.loader = Some(Loader::start(todo, schema, coder.clone(), manifest));
            corpus.arrange(self.team.as_ref(), &coder);
        }
        self.refresh_entry();
    }

    /// The navigator's entry for the open document, after it changed.
    pub(super) fn refresh_entry(&mut self) {
        let coder = self.settings.coder.clone();
        if let (Some(corpus), Some(session)) = (&mut self.corpus, &self.session)
            && let Some(entry) = corpus.entries.iter_mut().find(|e| e.path == session.path)
        {
            *entry = CorpusEntry::of(
                &session.path,
                &session.doc,
                &coder,
                self.team.as_ref().map(|t| &t.manifest),
            );
            corpus.sort();
        }
    }

    /// The coders (human sets) of the folder, or of the open document when no folder is
    /// open, each with how many documents hold their set — what a new coder picks a name from.
    pub fn known_coders(&self) -> Vec<(String, usize)> {
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        match (&self.corpus, &self.session) {
            (Some(corpus), _) => {
                for coder in corpus.entries.iter().flat_map(|e| &e.coders) {
                    *counts.entry(coder.clone()).or_default() += 1;
                }
            }
            (None, Some(session)) => {
                for set in &session.doc.sets {
                    if matches!(set.source, crate::model::Source::Human { .. })
                        && set.id != crate::review::ADJUDICATED
                    {
                        counts.insert(set.id.clone(), 1);
                    }
                }
            }
            (None, None) => {}
        }
        counts.into_iter().collect()
    }

    /// Lists the navigator as a review queue (most disagreement first), or in name order.
    pub(super) fn sort_by_queue(&mut self, on: bool) -> Result<(), AppError> {
        self.settings.navigator_by_queue = on;
        if let Some(corpus) = &mut self.corpus {
            corpus.by_queue = on;
            corpus.sort();
        }
        Ok(())
    }

    /// The next document in the navigator's order (after the open one, wrapping) with review
    /// differences still undecided.
    pub fn next_to_review(&self) -> Option<&CorpusEntry> {
        let corpus = self.corpus.as_ref()?;
        let here = self.corpus_index();
        let order = corpus.order();
        let at = here.and_then(|h| order.iter().position(|&i| i == h));
        let start = at.map_or(0, |k| k + 1);
        (0..order.len())
            .map(|k| order[(start + k) % order.len()])
            .filter(|&i| Some(i) != here)
            .map(|i| &corpus.entries[i])
            .find(|e| e.error.is_none() && e.review.is_some_and(|r| r.undecided() > 0))
    }

    /// Opens the entry `pick` chooses, given the entries in the navigator's order and where
    /// the open document is in that order.
    fn go_to(
        &mut self,
        pick: impl Fn(&[&CorpusEntry], Option<usize>) -> Option<usize>,
    ) -> Result<(), AppError> {
        let corpus = self.corpus.as_ref().ok_or(AppError::NoFolderToMoveIn)?;
        let listed: Vec<&CorpusEntry> =
            corpus.order().iter().map(|&i| &corpus.entries[i]).collect();
        let here = self.corpus_index();
        let at = here.and_then(|h| corpus.order().iter().position(|&i| i == h));
        let target = pick(&listed, at)
            .and_then(|k| listed.get(k))
            .map(|e| e.path.clone());
        match target {
            Some(path) => self.try_apply(Command::Open(path)),
            None => {
                self.tell(
                    "no other document to go to".to_owned(),
                    "لا يوجد مستند آخر للانتقال إليه".to_owned(),
                );
                Ok(())
            }
        }
    }

    pub(super) fn next_document(&mut self) -> Result<(), AppError> {
        self.go_to(|entries, at| {
            let from = at.map_or(0, |i| i + 1);
            (from..entries.len()).find(|&i| entries[i].error.is_none())
        })
    }

    pub(super) fn previous_document(&mut self) -> Result<(), AppError> {
        self.go_to(|entries, at| {
            (0..at.unwrap_or(0))
                .rev()
                .find(|&i| entries[i].error.is_none())
        })
    }

    pub(super) fn next_not_done(&mut self) -> Result<(), AppError> {
        self.go_to(|entries, at| {
            let start = at.map_or(0, |i| i + 1);
            (0..entries.len())
                .map(|k| (start + k) % entries.len())
                .find(|&i| Some(i) != at && entries[i].is_open_to_code())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use crate::model::*;
    use crate::store;

    #[test]
    fn a_folder_opens_the_corpus_navigator() {
        let (dir, first) = setup("[ACTOR|الجيش] في مالي");
        let second = dir.path().join("second.json");
        let third = dir.path().join("third.json");
        std::fs::copy(&first, &second).expect("copy");
        std::fs::copy(&first, &third).expect("copy");
        let mut app = app_for("coder-b");
        app.apply(Command::Open(dir.path().to_owned()));
        assert_eq!(app.error, None);
        let corpus = app.corpus.as_ref().expect("corpus");
        assert_eq!(corpus.entries.len(), 3);
        assert_eq!(app.corpus_index(), Some(0));
        app.apply(Command::SetStatus(Status::Done));
        app.apply(Command::Save);
        assert_eq!(
            app.corpus.as_ref().expect("corpus").entries[0].status,
            Status::Done
        );
        app.apply(Command::NextDocument);
        assert_eq!(app.session.as_ref().expect("open").path, second);
        app.apply(Command::SetStatus(Status::Done));
        app.apply(Command::Save);
        app.apply(Command::PreviousDocument);
        assert_eq!(app.corpus_index(), Some(0));
        app.apply(Command::NextNotDone);
        assert_eq!(
            app.session.as_ref().expect("open").path,
            third,
            "skips what is done"
        );
        let saved = store::load(&first, LabelSchema::builtin()).expect("saved");
        assert_eq!(saved.set("coder-b").map(|s| s.status), Some(Status::Done));
        app.apply(Command::Quit);
        assert!(app.quit);
    }

    #[test]
    fn a_large_folder_is_read_in_the_background_and_never_undoes_what_the_coder_did() {
        let (dir, first) = setup("[ACTOR|الجيش] في مالي");
        let paths: Vec<std::path::PathBuf> = (1..40)
            .map(|i| dir.path().join(format!("doc-{i:02}.json")))
            .collect();
        for p in &paths {
            std::fs::copy(&first, p).expect("copy");
        }
        let mut app = app_for("coder-a");
        app.apply(Command::Open(dir.path().to_owned()));
        assert_eq!(app.error, None);
        // The first document still to code is open at once; the rest fill in.
        assert_eq!(app.corpus_index(), Some(0));
        let corpus = app.corpus.as_ref().expect("corpus");
        assert_eq!(corpus.entries.len(), 40);
        assert!(corpus.entries[0].loaded);
        // The coder marks the open document done before the folder has been read.
        app.apply(Command::SetStatus(Status::InProgress));
        app.wait_for_corpus();
        let corpus = app.corpus.as_ref().expect("corpus");
        assert_eq!(corpus.loading(), None);
        assert!(corpus.entries.iter().all(|e| e.loaded && e.error.is_none()));
        assert!(
            corpus
                .entries
                .iter()
                .all(|e| e.title == "t" && e.spans == 1)
        );
        assert_eq!(
            corpus.entries[0].status,
            Status::InProgress,
            "kept from memory"
        );
        // Another coder: everything is read again, for them.
        app.apply(Command::Save);
        app.apply(Command::SetCoder("coder-b".into()));
        app.wait_for_corpus();
        let corpus = app.corpus.as_ref().expect("corpus");
        assert!(
            corpus.entries.iter().all(|e| e.spans == 0),
            "coder-b has no spans"
        );
    }
}
