package schema

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

// riverVersion is the goose version of the migration that brings River's
// job tables (the outbox: internal/jobs) in, after the SQL migrations
// before it and before the ones after it.
const riverVersion = 11

// riverMigration runs River's own migrator (one transaction per River
// version, as it requires: a later version uses an enum value an earlier one
// adds) rather than a copy of its SQL, so that River's schema is exactly
// what the River in go.mod expects; a River upgrade adds a migration that
// runs it again. River's tables are the one exception to row-level
// security (ARCHITECTURE.md): they hold every tenant's jobs, each job
// carrying its tenant, and the service's role may read and write them.
func riverMigration() *goose.Migration {
	return goose.NewGoMigration(riverVersion,
		&goose.GoFunc{RunDB: func(ctx context.Context, db *sql.DB) error {
			m, err := rivermigrate.New(riverdatabasesql.New(db), nil)
			if err != nil {
				return fmt.Errorf("river migrator: %w", err)
			}
			if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
				return fmt.Errorf("river's migrations: %w", err)
			}
			_, err = db.ExecContext(ctx, `
				GRANT SELECT, INSERT, UPDATE, DELETE ON river_job, river_leader, river_queue, river_notification TO billing_app;
				GRANT SELECT ON river_migration TO billing_app;
				GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO billing_app;`)
			if err != nil {
				return fmt.Errorf("granting the service's role River's tables: %w", err)
			}
			return nil
		}},
		&goose.GoFunc{RunDB: func(ctx context.Context, db *sql.DB) error {
			// Jobs still to run would be lost with their tables.
			var waiting int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE finalized_at IS NULL`).Scan(&waiting); err != nil {
				return fmt.Errorf("counting River's jobs: %w", err)
			}
			if waiting > 0 {
				return fmt.Errorf("%d outbox jobs have not run yet: the schema before River cannot keep them", waiting)
			}
			m, err := rivermigrate.New(riverdatabasesql.New(db), nil)
			if err != nil {
				return fmt.Errorf("river migrator: %w", err)
			}
			if _, err := m.Migrate(ctx, rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{TargetVersion: -1}); err != nil {
				return fmt.Errorf("removing river's tables: %w", err)
			}
			return nil
		}},
	)
}
