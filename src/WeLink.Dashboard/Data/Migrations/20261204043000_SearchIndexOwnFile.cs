using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeLink.Dashboard.Data.Migrations
{
    /// <summary>
    /// The search index moves to a file of its own (see <c>SearchIndexFile</c>): out of this one, where each of its
    /// writes held the writer's lock. The indexer fills the new file from the log in the background; until it has,
    /// searches scan the events it has not reached. Retention now lists the events it deletes, for the indexer to
    /// take out of the index.
    /// </summary>
    public partial class SearchIndexOwnFile : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS main.EventSearch;");
            migrationBuilder.Sql("CREATE TABLE EventSearchDeletions (Id INTEGER NOT NULL CONSTRAINT PK_EventSearchDeletions PRIMARY KEY);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE EventSearchDeletions;");
            migrationBuilder.Sql(
                "CREATE VIRTUAL TABLE EventSearch USING fts5(Body, content='', contentless_delete=1, tokenize='trigram');");
            migrationBuilder.Sql("INSERT INTO EventSearch (rowid, Body) SELECT Id, CAST(RawBody AS TEXT) FROM Events;");
        }
    }
}
