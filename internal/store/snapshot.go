package store

import "context"

// Snapshot is a copy of every record of a store, taken by TakeSnapshot and
// written back by RestoreSnapshot (test fixtures' fast reset). It is opaque
// to callers; backends fill and read it.
type Snapshot struct {
	Tables []SnapshotTable
}

// SnapshotTable is one table's rows, values as the driver returned them.
type SnapshotTable struct {
	Name    string
	Columns []string
	Rows    [][]any
}

// SnapshotRepo copies the whole store into memory and back.
type SnapshotRepo interface {
	// TakeSnapshot copies every record of every kind (the schema migrations
	// excepted) as the transaction sees them.
	TakeSnapshot(ctx context.Context) (*Snapshot, error)
	// RestoreSnapshot replaces every record with the snapshot's, within the
	// transaction: the store then holds exactly what it held when the
	// snapshot was taken. The snapshot must come from the same schema.
	RestoreSnapshot(ctx context.Context, s *Snapshot) error
}
