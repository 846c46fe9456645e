//! Why a command was refused or failed: one typed error for the whole of `app`. The window
//! shows it as one message (lowercase, naming the file and the place where there is one), and
//! nothing else is changed by a command that fails.

use std::path::PathBuf;

use thiserror::Error;

use crate::model::{EditError, Problem};
use crate::store::export::ExportError;
use crate::store::{LoadError, SaveError};

#[derive(Debug, Error)]
pub enum AppError {
    #[error("{0}")]
    Team(crate::store::team::TeamError),
    #[error("{0}")]
    Events(crate::store::corpus_events::EventError),
    #[error("{0}")]
    Registry(crate::store::registry::RegistryError),
    #[error("set {0} is hidden while coding is blind: mark your own work done first")]
    HiddenSet(String),
    #[error("no merge conflict {index} in set {set}")]
    NoConflict { set: String, index: usize },
    #[error("cannot take the other version of {what}: {problem}")]
    ConflictBreaks { what: String, problem: String },
    #[error("no document is open")]
    NoDocument,
    #[error("{0}")]
    Refused(String),
    #[error("answer the open question first")]
    PromptOpen,
    #[error("select some text or a span first")]
    NothingSelected,
    #[error("the selected span is gone")]
    SpanGone,
    #[error("a span cannot be empty")]
    EmptySpan,
    #[error("\"{0}\" is not in this document")]
    NotFound(String),
    #[error("open a folder to move between documents")]
    NoFolderToMoveIn,
    #[error("no folder is open")]
    NoFolder,
    #[error("{}: no .json or .ron documents in this folder{}", .root.display(), lines(.problems))]
    EmptyFolder {
        root: PathBuf,
        problems: Vec<LoadError>,
    },
    #[error("{}: none of the documents can be opened", .0.display())]
    NothingOpenable(PathBuf),
    #[error("the schema has no label {0}")]
    UnknownLabel(String),
    #[error("span {span} is in relation {relation} ({kind}), which does not take {label}")]
    RelationForbids {
        span: String,
        relation: String,
        kind: String,
        label: String,
    },
    #[error("the coder name cannot be empty")]
    EmptyCoder,
    #[error("save or undo your changes before changing the coder")]
    UnsavedBeforeCoderChange,
    #[error("not saved, the document has problems:\n{}", problem_lines(.0))]
    Invalid(Vec<Problem>),
    #[error("the recovery file belongs to another text")]
    RecoveryOfAnotherText,
    #[error("the recovery file has no work by {0}")]
    RecoveryWithoutWork(String),
    #[error("cannot write the recovery file: {0}")]
    RecoveryNotWritten(SaveError),
    #[error("the recovery file could not be read and was left alone:\n{0}")]
    RecoveryUnreadable(LoadError),
    #[error("\"{0}\" is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY)")]
    NotADate(String),
    #[error("the schema has no event type \"{0}\"")]
    UnknownEventType(String),
    #[error("open an event first (Events › New event)")]
    NoOpenEvent,
    #[error("the document has no set \"{0}\"")]
    NoSet(String),
    #[error("no review is open")]
    NoReview,
    #[error("a relation goes from one span to another, not to itself")]
    RelationToItself,
    #[error("the schema has no relation from {from} to {to}")]
    NoRelationBetween { from: String, to: String },
    #[error("{}: {message}", .path.display())]
    Predictions { path: PathBuf, message: String },
    #[error("an export is already running")]
    ExportRunning,
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Export(#[from] ExportFailure),
}

impl AppError {
    /// The message in Arabic, where one is written (the common refusals); None: the English
    /// message stands (those that quote a file's problems).
    pub fn arabic(&self) -> Option<String> {
        Some(match self {
            AppError::NoDocument => "لا يوجد مستند مفتوح".to_owned(),
            AppError::PromptOpen => "أجب عن السؤال المفتوح أولًا".to_owned(),
            AppError::NothingSelected => "حدّد نصًا أو مقطعًا أولًا".to_owned(),
            AppError::SpanGone => "لم يعد المقطع المحدّد موجودًا".to_owned(),
            AppError::EmptySpan => "لا يمكن أن يكون المقطع فارغًا".to_owned(),
            AppError::NotFound(q) => format!("«{q}» غير موجود في هذا المستند"),
            AppError::NoFolderToMoveIn => "افتح مجلدًا للتنقل بين المستندات".to_owned(),
            AppError::NoFolder => "لا يوجد مجلد مفتوح".to_owned(),
            AppError::HiddenSet(set) => {
                format!("المجموعة {set} مخفية ما دام الترميز أعمى: أنهِ عملك أولًا")
            }
            AppError::UnknownLabel(l) => format!("لا توجد في المخطط تسمية {l}"),
            AppError::EmptyCoder => "لا يمكن أن يكون اسم المرمِّز فارغًا".to_owned(),
            AppError::UnsavedBeforeCoderChange => {
                "احفظ تغييراتك أو تراجع عنها قبل تغيير المرمِّز".to_owned()
            }
            AppError::NotADate(d) => {
                format!("\"{d}\" ليس تاريخًا: اكتب YYYY-MM-DD (أو YYYY-MM، YYYY)")
            }
            AppError::UnknownEventType(t) => format!("لا يوجد في المخطط نوع حدث \"{t}\""),
            AppError::NoOpenEvent => "افتح حدثًا أولًا (الأحداث › حدث جديد)".to_owned(),
            AppError::NoSet(set) => format!("لا توجد في المستند مجموعة \"{set}\""),
            AppError::NoReview => "لا توجد مراجعة مفتوحة".to_owned(),
            AppError::RelationToItself => "تربط العلاقة مقطعًا بمقطع آخر، لا بنفسه".to_owned(),
            AppError::NoRelationBetween { from, to } => {
                format!("لا يعرّف المخطط علاقة من {from} إلى {to}")
            }
            AppError::ExportRunning => "هناك تصدير قيد التشغيل".to_owned(),
            _ => return None,
        })
    }
}

/// Why an export running on its thread wrote nothing. OUT is left as it was.
#[derive(Debug, Error)]
pub enum ExportFailure {
    #[error("export cancelled; {} is unchanged", .0.display())]
    Cancelled(PathBuf),
    #[error("nothing exported, {} cannot be read:\n{source}", .source.path.display())]
    Unreadable { source: LoadError },
    #[error("nothing exported: {0}")]
    Refused(ExportError),
    #[error(transparent)]
    NotWritten(ExportError),
    #[error("the export stopped unexpectedly")]
    Stopped,
    #[error("the export has already finished")]
    AlreadyFinished,
}

fn lines(problems: &[LoadError]) -> String {
    problems.iter().map(|p| format!("\n{p}")).collect()
}

fn problem_lines(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
