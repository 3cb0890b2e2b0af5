using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostDbContextApp.Migrations
{
    /// <inheritdoc />
    public partial class SessionExpiryCap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "maxExpiresAt",
                table: "session",
                type: "date",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "maxExpiresAt",
                table: "session");
        }
    }
}
